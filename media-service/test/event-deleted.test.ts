/**
 * catalog.event.deleted.v1 names the event's images: media deletes them,
 * originals and variants, and never an image of another organisation.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { catalogEventFixture } from '@twenny/contracts';
import { publishOnBus, waitFor } from '@twenny/testing';
import { makeJpeg } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

let media: TestMediaService;

beforeAll(async () => {
  media = await startTestMediaService();
});

afterAll(async () => {
  await media?.stop();
});

const filesOf = (image: { id: string; variants: Array<{ name: string }> }) => [join(media.storageDir, 'originals', image.id), ...image.variants.map((v) => join(media.storageDir, 'variants', image.id, v.name))];

it("deletes the event's images (named, or uploaded for it) with their files; other images stay", async () => {
  const org = randomUUID();
  const otherOrg = randomUUID();
  const eventId = randomUUID();
  const member = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
  const stranger = await media.tokenFor(randomUUID(), [{ id: otherOrg, role: 'owner' }]);
  const uploaded = async (token: string, organizationId: string, eventIdField?: string) => {
    const upload = await media.upload(token, { file: { bytes: await makeJpeg(900, 600) }, organizationId, eventId: eventIdField });
    return media.settled(token, upload.body.id);
  };
  const cover = await uploaded(member, org);
  const forTheEvent = await uploaded(member, org, eventId);
  const unrelated = await uploaded(member, org);
  const foreign = await uploaded(stranger, otherOrg);
  for (const image of [cover, forTheEvent, unrelated, foreign]) for (const file of filesOf(image)) expect(existsSync(file), file).toBe(true);

  await publishOnBus(media.amqpUrl, media.prefix, {
    id: randomUUID(),
    type: 'catalog.event.deleted.v1',
    source: 'catalog-service',
    time: new Date().toISOString(),
    subject: eventId,
    version: 3,
    // The cover is named; a foreign image named by mistake (or malice) is not the event's to delete.
    data: { ...catalogEventFixture, eventId, organizationId: org, status: 'draft', imageIds: [cover.id, foreign.id] },
  });

  await waitFor('the files to be removed', () => [...filesOf(cover), ...filesOf(forTheEvent)].every((file) => !existsSync(file)), { timeoutMs: 20_000 });
  for (const image of [cover, forTheEvent]) {
    expect((await fetch(`${media.url}/api/media/images/${image.id}`, { headers: { authorization: `Bearer ${member}` } })).status).toBe(404);
    expect((await fetch(`${media.url}${image.variants[0].url}`)).status).toBe(404);
  }
  const rows = await media.sql`select id from media.images where id in ${media.sql([cover.id, forTheEvent.id])}`;
  expect(rows).toEqual([]);
  expect(existsSync(join(media.storageDir, 'variants', cover.id))).toBe(false);

  for (const [image, token] of [[unrelated, member], [foreign, stranger]] as const) {
    for (const file of filesOf(image)) expect(existsSync(file), file).toBe(true);
    expect((await fetch(`${media.url}/api/media/images/${image.id}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${media.url}${image.variants[0].url}`)).status).toBe(200);
  }
});
