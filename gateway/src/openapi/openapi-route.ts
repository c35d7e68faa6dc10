import type { RequestHandler } from 'express';
import type { RouteEntry } from '../routes/route-table.ts';
import { mergeOpenApi } from './merge-openapi.ts';
import type { UpstreamDocuments } from './upstream-documents.ts';

/** GET /api/openapi.json: merged on each request from the services' cached descriptions. */
export function openApiRoute(deps: { routes: readonly RouteEntry[]; documents: UpstreamDocuments }): RequestHandler {
  const upstreams = [...new Set(deps.routes.map((entry) => entry.upstream))];
  return async (_req, res) => {
    const documents = await deps.documents.get(upstreams);
    res.set('cache-control', 'no-cache').json(mergeOpenApi({ routes: deps.routes, documents }));
  };
}
