// Starts Swagger UI on /api/docs. A file of its own rather than an inline script,
// so the page's Content-Security-Policy can forbid inline scripts altogether.
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The public validator badge would call a third-party site; the CSP forbids it anyway.
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
