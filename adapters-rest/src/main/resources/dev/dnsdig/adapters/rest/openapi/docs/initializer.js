// Swagger UI for this server's own document; no validator (it would call validator.swagger.io) and no top bar
// (its URL field would load documents from elsewhere, which the page's Content-Security-Policy refuses anyway).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // a stable address to register at the identity provider, whatever Swagger UI's version
    oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect.html"
  });
  window.ui.initOAuth({{oauth}});
};
