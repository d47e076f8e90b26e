package dev.dnsdig.adapters.auth.fake;

import dev.dnsdig.application.contract.identity.IdentityProviderContract;
import dev.dnsdig.application.contract.identity.TokenForge;
import dev.dnsdig.domain.user.UserId;

/** The fake provider passes the identity-provider contract, its own builder serving as the forge. */
class FakeIdentityProviderContractTest extends IdentityProviderContract {
    @Override
    protected AdapterUnderTest newAdapter() {
        FakeIdentityProvider fake = new FakeIdentityProvider();
        return new AdapterUnderTest(fake, fake, new TokenForge() {
            @Override
            public String valid(UserId subject) {
                return fake.token(subject).build();
            }

            @Override
            public String expired(UserId subject) {
                return fake.token(subject).expired().build();
            }

            @Override
            public String notYetValid(UserId subject) {
                return fake.token(subject).notYetValid().build();
            }

            @Override
            public String withoutExpiry(UserId subject) {
                return fake.token(subject).withoutExpiry().build();
            }

            @Override
            public String wrongIssuer(UserId subject) {
                return fake.token(subject).issuer("https://elsewhere.example").signedWithForeignKey().build();
            }

            @Override
            public String wrongAudience(UserId subject) {
                return fake.token(subject).audience("someone-else").build();
            }

            @Override
            public String algNone(UserId subject) {
                return fake.token(subject).algNone().build();
            }

            @Override
            public String hs256SignedWithThePublicKey(UserId subject) {
                return fake.token(subject).hs256WithPublicKey().build();
            }

            @Override
            public String tamperedPayload(UserId subject) {
                return fake.token(subject).tamperedPayload().build();
            }

            @Override
            public String unknownKid(UserId subject) {
                return fake.token(subject).unknownKid().build();
            }

            @Override
            public String knownKidWithForeignKey(UserId subject) {
                return fake.token(subject).signedWithForeignKey().build();
            }
        });
    }
}
