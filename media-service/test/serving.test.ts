/**
 * GET /media/:id/:variant: the bytes with their content type, a strong ETag,
 * immutable caching, conditional requests and byte ranges.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

let media: TestMediaService;
let image: { id: string; variants: Array<{ name: string; url: string; bytes: number; format: string }> };
let whole: Buffer;
let etag: string;

beforeAll(async () => {
  media = await startTestMediaService();
  const org = randomUUID();
  const token = await media.tokenFor(randomUUID(), [{ id: org, role: 'admin' }]);
  const upload = await media.upload(token, { file: { bytes: await makeJpeg(1000, 600) }, organizationId: org });
  image = await media.settled(token, upload.body.id);
  const response = await fetch(`${media.url}${image.variants[1]!.url}`);
  whole = Buffer.from(await response.arrayBuffer());
  etag = response.headers.get('etag')!;
});

afterAll(async () => {
  await media?.stop();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${media.url}${path}`, { method, headers });

describe('a variant', () => {
  it('is served with its content type, length, a strong ETag and immutable caching, to anyone', async () => {
    for (const variant of image.variants) {
      const response = await get(variant.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(variant.format === 'webp' ? 'image/webp' : 'image/avif');
      expect(Number(response.headers.get('content-length'))).toBe(variant.bytes);
      expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await response.arrayBuffer()).byteLength).toBe(variant.bytes);
    }
    expect(whole.length).toBe(image.variants[1]!.bytes);
    // The id in upper case names the same image (it is a UUID): the same bytes, not an error.
    const upper = await get(image.variants[1]!.url.replace(image.id, image.id.toUpperCase()));
    expect(upper.status).toBe(200);
    expect(Buffer.from(await upper.arrayBuffer()).equals(whole)).toBe(true);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const response = await get(image.variants[1]!.url, { 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(etag);
    expect(await response.text()).toBe('');
    expect((await get(image.variants[1]!.url, { 'if-none-match': '"something-else"' })).status).toBe(200);
  });

  it('serves byte ranges: 206 with Content-Range, the exact bytes', async () => {
    const first = await get(image.variants[1]!.url, { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${whole.length}`);
    expect(Buffer.from(await first.arrayBuffer())).toEqual(whole.subarray(0, 100));
    const tail = await get(image.variants[1]!.url, { range: 'bytes=-50' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(whole.subarray(whole.length - 50));
    const middle = await get(image.variants[1]!.url, { range: `bytes=100-`, 'if-range': etag });
    expect(middle.status).toBe(206);
    expect(Buffer.from(await middle.arrayBuffer())).toEqual(whole.subarray(100));
  });

  it('sends it all when If-Range names another version, or several ranges are asked', async () => {
    const stale = await get(image.variants[1]!.url, { range: 'bytes=0-99', 'if-range': '"old"' });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer())).toEqual(whole);
    const several = await get(image.variants[1]!.url, { range: 'bytes=0-9,20-29' });
    expect(several.status).toBe(200);
  });

  it('answers 416 with the size for a range outside it, as problem+json without caching', async () => {
    const response = await get(image.variants[1]!.url, { range: `bytes=${whole.length + 10}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it('answers HEAD with the headers only', async () => {
    const response = await get(image.variants[1]!.url, {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(whole.length);
    expect(await response.text()).toBe('');
  });

  it('is 404 when it does not exist, 400 when the name is not a variant name', async () => {
    const missing = await get(`/media/${image.id}/1600.webp`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBeNull();
    expect((await get(`/media/${randomUUID()}/800.webp`)).status).toBe(404);
    expect((await get(`/media/${image.id}/..%2f..%2fetc%2fpasswd`)).status).toBe(400);
    expect((await get(`/media/${image.id}/original`)).status).toBe(400);
    expect((await get(`/media/not-an-id/800.webp`)).status).toBe(400);
  });
});
