import { fileURLToPath } from 'node:url';
import { createIdentityVerifier } from '@twenny/identity';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { startService } from '@twenny/service-kit';
import type { configSchema } from './config.ts';
import * as schema from './db/schema.ts';
import { catalogApiDocument } from './http/openapi.ts';
import { organiserRoutes } from './http/organiser-routes.ts';
import { publicRoutes } from './http/public-routes.ts';
import { catalogHandlers } from './messaging/handlers.ts';
import { endPastEvents } from './use-cases/end-past-events.ts';
import { createEventSearch } from './use-cases/search-events.ts';

export const serviceName = 'catalog-service';

/**
 * catalog-service: venues, events, ticket types and search; an availability
 * projection from order-service's inventory messages. Tests start it in-process
 * with their own config.
 */
export function startCatalogService(config: ReturnType<typeof configSchema.parse>, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const verifier = createIdentityVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  const apiDocument = catalogApiDocument();
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'catalog',
      schema,
      tables: schema,
      // Search and listing statements are prepared, yet planned for their own filters each time: a plan
      // made once for all cities and words would suit a big city and a rare word alike badly.
      databaseSettings: { 'pg_trgm.word_similarity_threshold': String(config.CATALOG_TYPO_THRESHOLD), plan_cache_mode: 'force_custom_plan' },
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: catalogHandlers,
      routes: (app, { database }) => {
        const db = database.db as unknown as DbExecutor;
        const search = createEventSearch(db, { facetsTtlMs: config.CATALOG_FACETS_TTL_MS });
        publicRoutes(app, { db, verifier, search, countsTtlMs: config.CATALOG_COUNTS_TTL_MS, responseCacheMs: config.CATALOG_RESPONSE_CACHE_MS });
        organiserRoutes(app, { db, verifier });
      },
      init: ({ database, lifecycle, logger }) => {
        // Events past their end leave the listings' indexes and say so on the bus.
        const db = database.db as unknown as DbExecutor;
        const sweep = async () => {
          try {
            const ended = await endPastEvents(db);
            if (ended > 0) logger.info({ ended }, 'marked past events as ended');
          } catch (error) {
            logger.warn({ err: error }, 'ending past events failed; will try again');
          }
        };
        const timer = setInterval(sweep, config.CATALOG_END_SWEEP_MS);
        timer.unref();
        void sweep();
        lifecycle.onStop('ended-events sweep', () => clearInterval(timer), 'workers');
      },
      openapi: () => apiDocument,
    },
    options,
  );
}
