import { z } from 'zod';
import { serviceEnv } from '@twenny/config';

export const configSchema = serviceEnv({ port: 4002, databaseRole: 'twenny_catalog' }).extend({
  /** How long facet counts of one listing query are reused (ms); 0: counted on every request. */
  CATALOG_FACETS_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** How long a public listing or event answer is reused (ms); 0: computed on every request. */
  CATALOG_RESPONSE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** How often published events whose end has passed are marked ended (ms). */
  CATALOG_END_SWEEP_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How long category and city counts are reused (ms). */
  CATALOG_COUNTS_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Trigram word-similarity a misspelled search word needs to match a title (pg_trgm, 0–1). */
  CATALOG_TYPO_THRESHOLD: z.coerce.number().min(0.1).max(1).default(0.4),
});
