/**
 * The ceiling of the catalog benchmark: the least a process can do to serve the
 * public listing and event page with the catalog's own SQL. Express 5 and
 * postgres.js (Drizzle over it, as the service), the same pool size and
 * connection settings as catalog-service, and the catalog's own use-case
 * functions, so every statement is the service's, by construction, whatever it
 * becomes. Nothing else: no validation (query strings are only converted), no
 * identity, no logs, no telemetry, no response cache. Facet counts are reused as
 * the service reuses them (CATALOG_FACETS_TTL_MS, its default unless set): the
 * listing allows them to be a few seconds old, so counting on every request
 * would make this slower than the service, not a ceiling.
 *
 * Env: PORT, DATABASE_URL, DATABASE_POOL_MAX, CATALOG_FACETS_TTL_MS,
 * CATALOG_TYPO_THRESHOLD, read with catalog-service's own config schema.
 */
import { createServer } from 'node:http';
import express, { type Response } from 'express';
import { loadConfigOrExit } from '@twenny/config';
import { connectDatabase } from '@twenny/db';
import { HttpProblem } from '@twenny/http-kit';
import type { DbExecutor } from '@twenny/messaging';
import { configSchema } from '../catalog-service/src/config.ts';
import { getEvent } from '../catalog-service/src/use-cases/get-event.ts';
import { createEventSearch } from '../catalog-service/src/use-cases/search-events.ts';
import { searchQueryFrom } from './lib/catalog-query.ts';

const config = loadConfigOrExit('catalog-ceiling', configSchema);
// The same connection setting as the service's (databaseSettings in catalog-service/src/service.ts).
const database = connectDatabase({
  url: config.DATABASE_URL,
  max: config.DATABASE_POOL_MAX,
  applicationName: 'catalog-ceiling',
  settings: { 'pg_trgm.word_similarity_threshold': String(config.CATALOG_TYPO_THRESHOLD) },
});
const db = database.db as unknown as DbExecutor;
const search = createEventSearch(db, { facetsTtlMs: config.CATALOG_FACETS_TTL_MS });

function fail(res: Response, error: unknown) {
  if (error instanceof HttpProblem) res.status(error.status).json(error.body);
  else res.status(500).json({ title: (error as Error).message });
}

// Express's defaults otherwise: the weak ETag the service's answers carry too (its 304s).
const app = express().disable('x-powered-by');
app.get('/health/live', (_req, res) => {
  res.json({ status: 'ok' });
});
app.get('/api/events', async (req, res) => {
  try {
    res.json(await search(searchQueryFrom(req.query as Record<string, unknown>)));
  } catch (error) {
    fail(res, error);
  }
});
app.get('/api/events/:key', async (req, res) => {
  try {
    res.json(await getEvent(db, req.params.key, undefined));
  } catch (error) {
    fail(res, error);
  }
});

createServer(app).listen(config.PORT, '127.0.0.1');
process.on('SIGTERM', () => void database.close().finally(() => process.exit(0)));
