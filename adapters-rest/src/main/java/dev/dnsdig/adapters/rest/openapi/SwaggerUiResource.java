package dev.dnsdig.adapters.rest.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnsdig.adapters.rest.support.JsonConfig;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * {@code /docs}: Swagger UI on this server's {@code /openapi.json}, for people rather than programs (so it is not
 * in the document itself). Swagger UI's files come from its webjar on the class path, under
 * {@code /docs/{version}/}: nothing is loaded from anywhere else. Open to anyone and never rate limited.
 *
 * <p>Only files of the webjar's own directory with a known type are served; anything else is a 404 problem.
 * The pages carry a Content-Security-Policy allowing scripts from here only (Swagger UI needs inline styles), and
 * connections to here and to the token endpoint of the {@link AuthorizationCodeFlow} offered, if any.
 */
@Singleton // one instance: stateless, and made once instead of per request
@Path("/docs")
public final class SwaggerUiResource {
    static final String VERSION = webjarVersion();
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/" + VERSION + "/";
    /** One name in the webjar's directory: no separators, no leading dot, so nothing outside it can be named. */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "png", "image/png",
            "html", MediaType.TEXT_HTML + ";charset=utf-8",
            "txt", MediaType.TEXT_PLAIN + ";charset=utf-8");
    /** A versioned path never changes content: a year, and no revalidation. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable"; // CacheControl has no immutable
    /** Our own pages name the versioned files, so they are checked every time: an upgrade shows at once. */
    private static final CacheControl REVALIDATE = CacheControl.valueOf("no-cache");
    private static final String INDEX = template("index.html");
    private static final String OAUTH2_REDIRECT = template("oauth2-redirect.html");
    private static final String INITIALIZER = template("initializer.js");

    @Context
    private Configuration configuration;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return html(INDEX);
    }

    @GET
    @Path("oauth2-redirect.html")
    @Produces(MediaType.TEXT_HTML)
    public Response oauth2Redirect() {
        return html(OAUTH2_REDIRECT);
    }

    @GET
    @Path("initializer.js")
    public Response initializer() {
        ObjectNode oauth = JsonConfig.MAPPER.createObjectNode().put("usePkceWithAuthorizationCodeGrant", true);
        AuthorizationCodeFlow.of(configuration).ifPresent(flow ->
                oauth.putObject("additionalQueryStringParams").put("audience", flow.audience()));
        String script;
        try {
            script = INITIALIZER.replace("{{oauth}}", JsonConfig.MAPPER.writeValueAsString(oauth));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Response.ok(script, TYPES.get("js")).cacheControl(REVALIDATE).build();
    }

    @GET
    @Path("{version}/{file}")
    public Response asset(@PathParam("version") String version, @PathParam("file") String file) {
        String type = FILE.matcher(file).matches() ? TYPES.get(file.substring(file.lastIndexOf('.') + 1)) : null;
        InputStream content = version.equals(VERSION) && type != null
                ? SwaggerUiResource.class.getClassLoader().getResourceAsStream(WEBJAR + file) : null;
        if (content == null) {
            throw new NotFoundException();
        }
        return Response.ok(content, type).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
    }

    private Response html(String page) {
        return Response.ok(page, TYPES.get("html")).cacheControl(REVALIDATE)
                .header("Content-Security-Policy", contentSecurityPolicy(AuthorizationCodeFlow.of(configuration))).build();
    }

    /** The pages' policy; Swagger UI exchanges the authorization code at the token endpoint from the browser. */
    static String contentSecurityPolicy(Optional<AuthorizationCodeFlow> flow) {
        String tokenOrigin = flow.map(f -> " " + origin(f.tokenUrl())).orElse("");
        return "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self'" + tokenOrigin + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String webjarVersion() {
        // the webjar names its version in its Maven metadata, which the shaded jar keeps
        Properties properties = new Properties();
        try (InputStream in = SwaggerUiResource.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static String template(String name) {
        return OpenApiResource.text("docs/" + name).replace("{{version}}", VERSION);
    }
}
