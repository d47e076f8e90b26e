package dev.dnsdig.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module rules of ARCHITECTURE.md, checked on the production classes of every module. */
@AnalyzeClasses(packages = "dev.dnsdig",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {
    /**
     * The other modules' test-jars (contract suites, fakes) are on this module's test class path; outside the
     * reactor they come as {@code *-tests.jar}, which {@link ImportOption.DoNotIncludeTests} does not recognise.
     */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String DOMAIN = "dev.dnsdig.domain..";
    private static final String APPLICATION = "dev.dnsdig.application..";
    private static final String ADAPTERS = "dev.dnsdig.adapters..";
    private static final String DNS = "dev.dnsdig.adapters.dns..";
    private static final String REST = "dev.dnsdig.adapters.rest..";
    private static final String MONGO = "dev.dnsdig.adapters.mongo..";
    private static final String AUTH = "dev.dnsdig.adapters.auth..";
    private static final String BOOTSTRAP = "dev.dnsdig.bootstrap..";

    @ArchTest
    static final ArchRule domainDependsOnTheJdkOnly = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .because("the domain knows nothing of frameworks, drivers or the use cases around it");

    @ArchTest
    static final ArchRule applicationDependsOnTheDomainOnly = classes()
            .that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", APPLICATION, DOMAIN)
            .because("use cases and ports know nothing of HTTP, MongoDB, dnsjava or JWT libraries");

    @ArchTest
    static final ArchRule dnsAdapterDependsOnNoOtherAdapter = noClasses()
            .that().resideInAPackage(DNS)
            .should().dependOnClassesThat().resideInAnyPackage(REST, MONGO, AUTH)
            .because("adapters never depend on each other");

    @ArchTest
    static final ArchRule restAdapterDependsOnNoOtherAdapter = noClasses()
            .that().resideInAPackage(REST)
            .should().dependOnClassesThat().resideInAnyPackage(DNS, MONGO, AUTH)
            .because("adapters never depend on each other");

    @ArchTest
    static final ArchRule mongoAdapterDependsOnNoOtherAdapter = noClasses()
            .that().resideInAPackage(MONGO)
            .should().dependOnClassesThat().resideInAnyPackage(DNS, REST, AUTH)
            .allowEmptyShould(true) // no Mongo adapter classes yet
            .because("adapters never depend on each other");

    @ArchTest
    static final ArchRule authAdapterDependsOnNoOtherAdapter = noClasses()
            .that().resideInAPackage(AUTH)
            .should().dependOnClassesThat().resideInAnyPackage(DNS, REST, MONGO)
            .allowEmptyShould(true) // no auth adapter classes yet
            .because("adapters never depend on each other");

    @ArchTest
    static final ArchRule adaptersDoNotDependOnEachOther = slices()
            .matching("dev.dnsdig.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("adapters never depend on each other, including ones added later");

    @ArchTest
    static final ArchRule jakartaAndGlassfishOnlyInRestAdapterAndBootstrap = noClasses()
            .that().resideOutsideOfPackages(REST, BOOTSTRAP)
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "org.glassfish..")
            .because("HTTP lives in the REST adapter; bootstrap only runs the server");

    @ArchTest
    static final ArchRule dnsjavaOnlyInDnsAdapter = noClasses()
            .that().resideOutsideOfPackage(DNS)
            .should().dependOnClassesThat().resideInAPackage("org.xbill..")
            .because("dnsjava is the DNS adapter's business");

    @ArchTest
    static final ArchRule mongoDriverOnlyInMongoAdapter = noClasses()
            .that().resideOutsideOfPackage(MONGO)
            .should().dependOnClassesThat().resideInAPackage("com.mongodb..")
            .because("the MongoDB driver is the Mongo adapter's business");

    @ArchTest
    static final ArchRule jjwtOnlyInAuthAdapter = noClasses()
            .that().resideOutsideOfPackage(AUTH)
            .should().dependOnClassesThat().resideInAPackage("io.jsonwebtoken..")
            .because("the JWT library is the auth adapter's business");

    @ArchTest
    static final ArchRule nothingDependsOnBootstrap = noClasses()
            .that().resideOutsideOfPackage(BOOTSTRAP)
            .should().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
            .because("bootstrap is the composition root: it uses everything and nothing uses it");

    @ArchTest
    static final ArchRule portsAreInterfacesAndRecords = classes()
            .that().resideInAnyPackage("dev.dnsdig.application.port.in..", "dev.dnsdig.application.port.out..")
            .should().beInterfaces().orShould().beRecords().orShould().beEnums()
            .orShould().beAssignableTo(RuntimeException.class)
            .because("ports are contracts (interfaces), the values that cross them (records, enums) and the "
                    + "failures they declare (exceptions)");

    @ArchTest
    static final ArchRule adaptersAreNotUsedByTheCore = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION)
            .should().dependOnClassesThat().resideInAPackage(ADAPTERS)
            .because("the core only knows its ports; adapters plug into them");

    @ArchTest
    static final ArchRule noCyclesBetweenTopLevelPackages = slices()
            .matching("dev.dnsdig.(*)..")
            .should().beFreeOfCycles();
}
