import { createDocument } from 'zod-openapi';
import type { Auth } from '../auth/create-auth.ts';
import { meResponseSchema } from './me.ts';

type Paths = Record<string, unknown>;

/**
 * auth-service's API description: Better-Auth's own (its open-api plugin,
 * generated from the endpoints it serves, prefixed with /api/auth) plus the
 * routes written here, from the zod schemas they answer with.
 */
export async function authApiDocument(auth: Auth) {
  const ours = createDocument({
    openapi: '3.1.0',
    info: { title: 'auth-service', version: '1' },
    paths: {
      '/api/me': {
        get: {
          operationId: 'getMe',
          summary: 'The signed-in caller, as services see them',
          responses: {
            200: { description: 'The verified identity claims.', content: { 'application/json': { schema: meResponseSchema } } },
            401: { description: 'No valid identity token.' },
          },
        },
      },
    },
  });
  const generated = (await auth.api.generateOpenAPISchema()) as unknown as { paths?: Paths; components?: { schemas?: Record<string, unknown> } };
  const betterAuthPaths = Object.fromEntries(Object.entries(generated.paths ?? {}).map(([path, item]) => [`/api/auth${path}`, item]));
  return {
    ...ours,
    paths: { ...betterAuthPaths, ...ours.paths },
    components: { ...ours.components, schemas: { ...generated.components?.schemas, ...ours.components?.schemas } },
  };
}
