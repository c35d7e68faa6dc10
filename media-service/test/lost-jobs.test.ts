/**
 * Redis is never the source of truth: an upload made while the service cannot
 * reach Redis is still accepted, and the worker's sweep finds the image (still
 * processing, with no job) and processes it. A failure of ours is retried, and
 * after the last attempt the image is failed rather than left processing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { makeJpeg } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

let media: TestMediaService;

beforeAll(async () => {
  // The HTTP service's Redis is a port nothing listens on; the worker's is the real one.
  media = await startTestMediaService({}, { REDIS_URL: 'redis://127.0.0.1:1' });
});

afterAll(async () => {
  await media?.stop();
});

it('accepts an upload while Redis is away, reports Redis down but stays ready, and the sweep processes the image', async () => {
  const ready = await fetch(`${media.url}/health/ready`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { redis: 'down', postgres: 'up', storage: 'up' } });

  const org = randomUUID();
  const token = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
  const upload = await media.upload(token, { file: { bytes: await makeJpeg(600, 400) }, organizationId: org });
  expect(upload.status).toBe(202);
  expect(media.logs.some((line) => line.msg === "could not queue the image; the worker's sweep will" && line.imageId === upload.body.id)).toBe(true);

  const image = await media.settled(token, upload.body.id);
  expect(image).toMatchObject({ status: 'ready', width: 600, height: 400 });
  expect(media.workerLogs.some((line) => line.msg === 'queued images whose job was lost')).toBe(true);
});

it('fails an image for good after its last attempt when storage keeps failing, and says so on the bus', async () => {
  const org = randomUUID();
  const id = randomUUID();
  // The original's path is a directory: every read fails (EISDIR), a failure of ours, not of the image.
  await mkdir(join(media.storageDir, 'originals', id), { recursive: true });
  await media.sql`insert into media.images (id, organization_id, uploaded_by, source_format, source_bytes, created_at) values (${id}, ${org}, 'someone', 'jpeg', 1000, now() - interval '1 minute')`;
  const token = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
  // Three attempts, two and four seconds apart.
  const image = await waitFor('the image to fail', async () => {
    const body = (await (await fetch(`${media.url}/api/media/images/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; failureReason: string };
    return body.status === 'failed' ? body : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200 });
  expect(image.failureReason).toMatch(/kept failing; upload the image again/);
  expect(media.workerLogs.filter((line) => line.msg === 'job failed' && line.jobId === id).length).toBe(2);
  const message = await waitFor('media.image.failed.v1', () => media.messages.find((m) => m.type === 'media.image.failed.v1' && m.subject === id));
  expect(message.data).toMatchObject({ imageId: id, organizationId: org, code: 'processing' });
});
