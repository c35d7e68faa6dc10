import { fileURLToPath } from 'node:url';
import { createIdentityVerifier } from '@twenny/identity';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { startService } from '@twenny/service-kit';
import type { MediaConfig } from './config.ts';
import * as schema from './db/schema.ts';
import { imageRoutes } from './http/image-routes.ts';
import { mediaApiDocument } from './http/openapi.ts';
import { variantRoutes } from './http/variant-routes.ts';
import { connectImageQueue } from './jobs/media-queue.ts';
import { mediaHandlers } from './messaging/handlers.ts';
import { createStorage } from './storage/create-storage.ts';

export const serviceName = 'media-service';

/**
 * media-service: image uploads (checked as they stream in, kept as originals),
 * their status, and serving their variants. Its worker (worker.ts) makes the
 * variants. Tests start it in-process with their own config.
 */
export async function startMediaService(config: MediaConfig, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const verifier = createIdentityVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  const storage = createStorage(config);
  let queue: ReturnType<typeof connectImageQueue>;
  const apiDocument = mediaApiDocument();
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'media',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: mediaHandlers,
      init: ({ logger, lifecycle }) => {
        queue = connectImageQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger, lifecycle, name: serviceName });
      },
      routes: (app, { database, logger }) => {
        const db = database.db as unknown as DbExecutor;
        imageRoutes(app, { db, storage, queue: queue.images, verifier, logger, maxBytes: config.MEDIA_MAX_UPLOAD_BYTES, maxPixels: config.MEDIA_MAX_PIXELS });
        variantRoutes(app, { db, storage, verifier });
      },
      // An organiser on a slow line may take a while to send a large image (the gateway's upload route allows as long).
      requestTimeoutMs: 120_000,
      openapi: () => apiDocument,
      readiness: [{ name: 'storage', check: () => storage.check() }, { name: 'redis', optional: true, check: () => queue.readinessCheck.check() }],
    },
    options,
  );
}
