/**
 * A job BullMQ thinks stalled runs twice (a worker at low priority on a busy
 * machine can miss its lock renewal): attempts at one image overlap. Exactly
 * one marks it ready; the others must not take its variants with them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@twenny/db';
import { createLogger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { createLocalStorage } from '../src/storage/local-storage.ts';
import { processImage } from '../src/use-cases/process-image.ts';
import { makeJpeg } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

let media: TestMediaService;
let pool: Database;
const org = randomUUID();

beforeAll(async () => {
  media = await startTestMediaService();
  pool = connectDatabase({ url: media.database.urlFor('media-service'), max: 4, applicationName: 'duplicate-attempts-test' });
});
afterAll(async () => {
  await pool?.close();
  await media?.stop();
});

describe('overlapping attempts at one image', () => {
  it('leave it ready with every variant served', async () => {
    const token = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
    const upload = await media.upload(token, { file: { bytes: await makeJpeg(1800, 1200) }, organizationId: org });
    expect(upload.status).toBe(202);
    const deps = { db: pool.db as unknown as DbExecutor, storage: createLocalStorage(media.storageDir), render: { formats: ['webp', 'avif'] as const, avifEffort: 2, maxPixels: 100_000_000 }, logger: createLogger({ service: 'duplicate-attempts-test', level: 'silent' }) };
    // Two more attempts beside the worker's own.
    const outcomes = await Promise.all([processImage(deps, upload.body.id), processImage(deps, upload.body.id)]);
    const image = await media.settled(token, upload.body.id);
    expect(image.status).toBe('ready');
    expect(outcomes.every((o) => o === 'ready' || o === 'skipped')).toBe(true);
    for (const variant of image.variants as Array<{ url: string; bytes: number }>) {
      const response = await fetch(`${media.url}${variant.url}`);
      expect(response.status, variant.url).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(variant.bytes);
    }
  });
});
