// Starts Swagger UI on /docs from the vendored bundle (no inline script: the pages' CSP forbids it).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true });
