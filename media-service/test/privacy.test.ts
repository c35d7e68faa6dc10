/**
 * Issue 6, acceptance 2: what a phone writes into a photo (camera, GPS position)
 * is in no variant; the variants are turned as the photo says (EXIF orientation).
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeJpegWithGps } from './support/images.ts';
import { startTestMediaService, type TestMediaService } from './support/media-service.ts';

let media: TestMediaService;

beforeAll(async () => {
  media = await startTestMediaService();
});

afterAll(async () => {
  await media?.stop();
});

/** Whether an EXIF block has a GPS IFD (tag 0x8825), in either byte order. */
function hasGpsIfd(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

it('strips EXIF, GPS included, from every variant, and turns them upright', async () => {
  const photo = await makeJpegWithGps();
  // The upload really carries what must not leak.
  const original = await sharp(photo).metadata();
  expect(original).toMatchObject({ width: 1200, height: 800, orientation: 6 });
  expect(hasGpsIfd(original.exif!)).toBe(true);
  expect(photo.includes('PhoneMaker')).toBe(true);

  const org = randomUUID();
  const token = await media.tokenFor(randomUUID(), [{ id: org, role: 'owner' }]);
  const upload = await media.upload(token, { file: { bytes: photo }, organizationId: org });
  const image = await media.settled(token, upload.body.id);
  expect(image).toMatchObject({ status: 'ready', width: 800, height: 1200 });
  expect(image.variants.map((v: { name: string }) => v.name)).toEqual(['400.webp', '800.webp', '400.avif', '800.avif']);

  for (const variant of image.variants) {
    const bytes = Buffer.from(await (await fetch(`${media.url}${variant.url}`)).arrayBuffer());
    const metadata = await sharp(bytes).metadata();
    expect(metadata.exif, variant.name).toBeUndefined();
    expect(metadata.xmp, variant.name).toBeUndefined();
    expect(metadata.iptc, variant.name).toBeUndefined();
    expect(metadata.orientation ?? 1, variant.name).toBe(1);
    expect([metadata.width, metadata.height], variant.name).toEqual([variant.width, variant.width * 1.5]);
    for (const text of ['Exif', 'EXIF', 'PhoneMaker', 'Secret Model']) expect(bytes.includes(text), `${variant.name} contains ${text}`).toBe(false);
  }
  const placeholder = Buffer.from(image.placeholder.split(',')[1], 'base64');
  expect((await sharp(placeholder).metadata()).exif).toBeUndefined();
  expect(placeholder.includes('PhoneMaker')).toBe(false);
});
