import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express, RequestHandler } from 'express';
import { contentSecurityPolicy } from 'helmet';

// Resolved without loading swagger-ui-dist's index, which would pull the 1.7 MB browser bundle into the gateway.
const swaggerDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const initializer = fileURLToPath(new URL('./swagger-initializer.js', import.meta.url));

/** The only swagger-ui-dist files served (its own index.html and initializer point at a demo API). */
const assets = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>twenny API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-initializer.js"></script>
</body>
</html>
`;

/**
 * What Swagger UI needs and no more: scripts and styles from the gateway itself
 * (no CDN, no inline script), inline style attributes (React sets them), data:
 * images (its icons), and fetches to this origin (the document, "try it out").
 */
export const docsContentSecurityPolicy: RequestHandler = contentSecurityPolicy({
  useDefaults: false,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  },
}) as RequestHandler;

/** GET /api/docs: a browsable view of /api/openapi.json, every asset served by the gateway. */
export function docsRoutes(app: Express): void {
  app.get('/api/docs', docsContentSecurityPolicy, (_req, res) => {
    res.set('cache-control', 'no-cache').type('html').send(page);
  });
  app.get('/api/docs/swagger-initializer.js', docsContentSecurityPolicy, (_req, res, next) => {
    res.sendFile(initializer, { maxAge: '1h' }, (error) => error && next(error));
  });
  app.get('/api/docs/assets/:file', docsContentSecurityPolicy, (req, res, next) => {
    const file = String(req.params.file);
    if (!assets.has(file)) return next();
    res.sendFile(join(swaggerDist, file), { maxAge: '1h' }, (error) => error && next(error));
  });
}
