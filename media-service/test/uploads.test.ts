/**
 * Issue 6, acceptance 1: every supported type is processed into variants; every
 * kind of bad upload gets a clear 4xx problem, and the service stays healthy.
 * Real Postgres, Redis and RabbitMQ; images made here with sharp.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { makeAnimatedGif, makeAvif, makeJpeg, makeOversizedJpeg, makePng, makePngBomb, makeScrambledJpeg, makeTruncatedJpeg, makeWebp, textFile } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

// Small enough that an oversized body is quick to send.
const maxUploadBytes = 3 * 1024 * 1024;

let media: TestMediaService;
let token: string;
const org = randomUUID();
const otherOrg = randomUUID();

beforeAll(async () => {
  media = await startTestMediaService({ MEDIA_MAX_UPLOAD_BYTES: String(maxUploadBytes) });
  token = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
});

afterAll(async () => {
  await media?.stop();
});

async function variantBytes(url: string) {
  const response = await fetch(`${media.url}${url}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('each supported type', () => {
  it.each([
    ['JPEG', 'image/jpeg', () => makeJpeg(2000, 1000), 2000, 1000],
    ['PNG', 'image/png', () => makePng(1000, 700), 1000, 700],
    ['WebP', 'image/webp', () => makeWebp(900, 600), 900, 600],
    ['AVIF', 'image/avif', () => makeAvif(800, 600), 800, 600],
    ['GIF (animated: its first frame)', 'image/gif', () => makeAnimatedGif(500, 300), 500, 300],
  ] as const)('%s is processed into WebP and AVIF variants, never enlarged', async (_name, type, make, width, height) => {
    const upload = await media.upload(token, { file: { bytes: await make(), type }, organizationId: org, alt: 'A test picture' });
    expect(upload.status).toBe(202);
    expect(upload.body).toEqual({ id: expect.any(String), status: 'processing' });
    expect(upload.headers.get('location')).toBe(`/api/media/images/${upload.body.id}`);

    const image = await media.settled(token, upload.body.id);
    expect(image).toMatchObject({ status: 'ready', organizationId: org, alt: 'A test picture', width, height, failureReason: null });
    expect(image.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(image.placeholder.length).toBeLessThan(1000);
    expect(image.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const expectedWidths = width >= 1600 ? [400, 800, 1600] : [...[400, 800].filter((w) => w < width), width];
    for (const format of ['webp', 'avif'] as const) {
      const ofFormat = image.variants.filter((v: { format: string }) => v.format === format);
      expect(ofFormat.map((v: { width: number }) => v.width)).toEqual(expectedWidths);
      for (const variant of ofFormat) {
        expect(variant.url).toBe(`/media/${image.id}/${variant.width}.${format}`);
        const bytes = await variantBytes(variant.url);
        expect(bytes.length).toBe(variant.bytes);
        const metadata = await sharp(bytes).metadata();
        expect(metadata.format).toBe(format === 'avif' ? 'heif' : 'webp');
        expect(metadata.width).toBe(variant.width);
        expect(variant.height).toBe(Math.round((variant.width * height) / width));
        expect(metadata.pages ?? 1).toBe(1);
      }
    }
    if (type === 'image/gif') {
      // The first frame is red.
      const { data } = await sharp(await variantBytes(image.variants[0].url)).raw().toBuffer({ resolveWithObject: true });
      expect([data[0], data[1], data[2]]).toEqual([expect.toSatisfy((r: number) => r > 200), expect.toSatisfy((g: number) => g < 50), expect.toSatisfy((b: number) => b < 50)]);
    }
  });

  it('announces each processed image with its organisation, event, variants, placeholder and colour', async () => {
    const eventId = randomUUID();
    const upload = await media.upload(token, { file: { bytes: await makeJpeg(900, 600) }, organizationId: org, eventId, alt: 'Stage' });
    const image = await media.settled(token, upload.body.id);
    const message = await waitFor('media.image.processed.v1', () => media.messages.find((m) => m.type === 'media.image.processed.v1' && m.subject === image.id));
    expect(message.version).toBe(2);
    expect(message.data).toMatchObject({ imageId: image.id, organizationId: org, eventId, alt: 'Stage', width: 900, height: 600, placeholder: image.placeholder, dominantColor: image.dominantColor });
    expect(message.data.variants).toEqual(image.variants.map((v: { width: number; height: number; format: string; url: string }) => ({ width: v.width, height: v.height, format: v.format, url: v.url })));
  });
});

describe('uploads that are refused', () => {
  const expectProblem = (result: { status: number; headers: Headers; body: any }, status: number, detail: RegExp) => {
    expect(result.status).toBe(status);
    expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(result.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\/twenny\.dev\/problems\//) });
    expect(result.body.detail).toMatch(detail);
    expect(JSON.stringify(result.body)).not.toMatch(/ at .*\.ts:\d+/);
  };

  it('a text file renamed .jpg: 415, naming what is accepted', async () => {
    const result = await media.upload(token, { file: { bytes: textFile(), name: 'holiday.jpg', type: 'image/jpeg' }, organizationId: org });
    expectProblem(result, 415, /not an image of a supported type: upload JPEG, PNG, GIF, WEBP, AVIF/);
  });

  it('an SVG (or another type people try): 415, saying what it is', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    expectProblem(await media.upload(token, { file: { bytes: svg, name: 'logo.svg', type: 'image/svg+xml' }, organizationId: org }), 415, /SVG, which is not accepted/);
  });

  it('a truncated JPEG: 422, truncated', async () => {
    expectProblem(await media.upload(token, { file: { bytes: await makeTruncatedJpeg() }, organizationId: org }), 422, /truncated/);
  });

  it('a 30000×30000 PNG bomb: 422 before a pixel is decoded', async () => {
    const bomb = makePngBomb();
    expect(bomb.length).toBeLessThan(200_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ format: 'png', width: 30_000, height: 30_000 });
    const result = await media.upload(token, { file: { bytes: bomb, name: 'bomb.png', type: 'image/png' }, organizationId: org });
    expectProblem(result, 422, /30000×30000 pixels \(900 megapixels\); at most 100 megapixels/);
    expect(result.body).toMatchObject({ width: 30_000, height: 30_000, maxPixels: 100_000_000 });
  });

  it('a body over the limit: 413, and nothing of it is kept', async () => {
    const result = await media.upload(token, { file: { bytes: makeOversizedJpeg(maxUploadBytes + 512 * 1024) }, organizationId: org });
    expectProblem(result, 413, /larger than the 3 MiB/);
    expect(await readdir(join(media.storageDir, 'incoming'))).toEqual([]);
  });

  it('a body declared far over the limit: 413 at once, without reading it', async () => {
    const url = new URL('/api/media/images', media.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) } });
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      request.on('error', reject);
      // Only the headers and a first line: the answer must not wait for the rest.
      request.write('--x\r\n');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).detail).toMatch(/larger than the 3 MiB/);
  });

  it('a client that goes away halfway through the file: nothing is kept, and the service carries on', async () => {
    const url = new URL('/api/media/images', media.url);
    const image = await makeJpeg(1500, 1000);
    const head = Buffer.from(`--x\r\ncontent-disposition: form-data; name="organizationId"\r\n\r\n${org}\r\n--x\r\ncontent-disposition: form-data; name="file"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`);
    await new Promise<void>((resolve) => {
      const request = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(head.length + image.length + 100) } });
      request.on('error', () => resolve());
      request.write(head);
      request.write(image.subarray(0, Math.floor(image.length / 2)), () => setTimeout(() => {
        request.destroy();
        resolve();
      }, 200));
    });
    await waitFor('the spooled half to be removed', async () => (await readdir(join(media.storageDir, 'incoming'))).length === 0);
    const next = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) }, organizationId: org });
    expect(next.status).toBe(202);
  });

  it('a missing file field: 400 naming it', async () => {
    const result = await media.upload(token, { organizationId: org, alt: 'no file' });
    expectProblem(result, 400, /see `errors`/);
    expect(result.body.errors).toEqual([{ name: 'body.file', reason: expect.stringMatching(/field named `file`/) }]);
  });

  it('a missing or malformed organizationId: 400 naming it', async () => {
    const missing = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) } });
    expectProblem(missing, 400, /see `errors`/);
    expect(missing.body.errors).toEqual([{ name: 'body.organizationId', reason: expect.stringMatching(/UUID/) }]);
    const malformed = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) }, organizationId: 'my-team' });
    expect(malformed.body.errors).toEqual([{ name: 'body.organizationId', reason: expect.stringMatching(/UUID/) }]);
  });

  it("another organisation's id: 403, whether it comes before the file or after it, and nothing is kept", async () => {
    const before = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) }, organizationId: otherOrg });
    expectProblem(before, 403, new RegExp(`not a member of organisation ${otherOrg}`));
    const after = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) }, organizationId: otherOrg, fieldsAfterFile: true });
    expectProblem(after, 403, /not a member/);
    expect(await readdir(join(media.storageDir, 'incoming'))).toEqual([]);
    const rows = await media.sql`select id from media.images where organization_id = ${otherOrg}`;
    expect(rows).toEqual([]);
  });

  it('not multipart, or no credentials: 415, 401', async () => {
    const json = await fetch(`${media.url}/api/media/images`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ organizationId: org }) });
    expect(json.status).toBe(415);
    expect(((await json.json()) as { detail: string }).detail).toMatch(/multipart\/form-data/);
    const anonymous = await media.upload(undefined, { file: { bytes: await makeJpeg(500, 400) }, organizationId: org });
    expect(anonymous.status).toBe(401);
  });

  it('two files: 400', async () => {
    const form = new FormData();
    form.append('organizationId', org);
    form.append('file', new Blob([new Uint8Array(await makeJpeg(300, 200))]), 'a.jpg');
    form.append('file', new Blob([new Uint8Array(await makeJpeg(300, 200))]), 'b.jpg');
    const response = await fetch(`${media.url}/api/media/images`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/more than one file/);
  });

  it('an image whose data does not decode: accepted, then failed with a reason, announced', async () => {
    const upload = await media.upload(token, { file: { bytes: await makeScrambledJpeg() }, organizationId: org });
    expect(upload.status).toBe(202);
    const image = await media.settled(token, upload.body.id);
    expect(image).toMatchObject({ status: 'failed', variants: [], failureReason: expect.stringMatching(/damaged or not supported/) });
    const message = await waitFor('media.image.failed.v1', () => media.messages.find((m) => m.type === 'media.image.failed.v1' && m.subject === image.id));
    expect(message.data).toMatchObject({ imageId: image.id, organizationId: org, eventId: null, code: 'undecodable', reason: image.failureReason });
  });

  it('leaves the service healthy: ready, and the next upload is processed', async () => {
    const ready = await fetch(`${media.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: 'up', rabbitmq: 'up', storage: 'up', redis: 'up' } });
    const upload = await media.upload(token, { file: { bytes: await makePng(640, 480), type: 'image/png' }, organizationId: org });
    expect((await media.settled(token, upload.body.id)).status).toBe('ready');
    expect(media.logs.filter((line) => line.level === 50 || line.level === 60)).toEqual([]);
  });
});

describe('GET /api/media/images/:id', () => {
  it("is for members of the image organisation: to others it does not exist (404, the owner not named), 400 for a malformed id", async () => {
    const upload = await media.upload(token, { file: { bytes: await makeJpeg(500, 400) }, organizationId: org });
    const stranger = await media.tokenFor(randomUUID(), [{ id: otherOrg, role: 'owner' }]);
    const asStranger = await fetch(`${media.url}/api/media/images/${upload.body.id}`, { headers: { authorization: `Bearer ${stranger}` } });
    expect(asStranger.status).toBe(404);
    expect(await asStranger.text()).not.toContain(org);
    // Upper case is the same id.
    expect((await fetch(`${media.url}/api/media/images/${upload.body.id.toUpperCase()}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${media.url}/api/media/images/${randomUUID()}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect((await fetch(`${media.url}/api/media/images/not-an-id`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    expect((await fetch(`${media.url}/api/media/images/${upload.body.id}`)).status).toBe(401);
  });
});
