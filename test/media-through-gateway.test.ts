/**
 * Images as a client sees them: an upload larger than the gateway's usual body
 * limit streams through to media-service; variants come back with their caching
 * headers, and conditional and range requests pass through both ways.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { startTestMediaService, type TestMediaService } from '../media-service/test/support/media-service.ts';
import { startGateway, type RunningGateway } from '../gateway/test/support/gateway-harness.ts';

let media: TestMediaService;
let gateway: RunningGateway;
const org = randomUUID();
let member: string;

beforeAll(async () => {
  media = await startTestMediaService();
  gateway = await startGateway({ MEDIA_SERVICE_URL: media.url, AUTH_JWKS_URL: media.jwksUrl });
  member = await media.tokenFor(randomUUID(), [{ id: org, role: 'member' }]);
});

afterAll(async () => {
  await gateway?.stop();
  await media?.stop();
});

function form(bytes: Buffer, organizationId: string) {
  const body = new FormData();
  body.append('organizationId', organizationId);
  body.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'stage.jpg');
  return body;
}

describe('media through the gateway', () => {
  it('uploads an image larger than the default body limit, and serves its variants with caching, ETag and ranges', async () => {
    // Noise compresses badly: a 6 MP JPEG of several megabytes, well over BODY_LIMIT_BYTES (1 MiB).
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
    expect(photo.length).toBeGreaterThan(2 * 1024 * 1024);
    const upload = await fetch(`${gateway.url}/api/media/images`, { method: 'POST', headers: { authorization: `Bearer ${member}` }, body: form(photo, org) });
    expect(upload.status).toBe(202);
    const { id } = (await upload.json()) as { id: string };

    const image = await waitFor('the variants', async () => {
      const body = (await (await fetch(`${gateway.url}/api/media/images/${id}`, { headers: { authorization: `Bearer ${member}` } })).json()) as { status: string; variants: Array<{ url: string; bytes: number }> };
      return body.status === 'ready' ? body : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const url = `${gateway.url}${image.variants[2]!.url}`;
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('image/webp');
    expect(whole.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(image.variants[2]!.bytes);

    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const range = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(bytes.subarray(10, 20));
  });

  it('refuses an anonymous upload at the gateway, and another organisation at the service', async () => {
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#123456' } }).jpeg().toBuffer();
    const anonymous = await fetch(`${gateway.url}/api/media/images`, { method: 'POST', body: form(photo, org) });
    expect(anonymous.status).toBe(401);
    const foreign = await fetch(`${gateway.url}/api/media/images`, { method: 'POST', headers: { authorization: `Bearer ${member}` }, body: form(photo, randomUUID()) });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { detail: string }).detail).toMatch(/not a member/);
  });
});
