/** Telling an upload's type from its bytes, and whether it is whole, as it streams in (no I/O). */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createStructureCheck } from '../src/domain/image-structure.ts';
import { describeOtherType, sniffImageType, sniffLength, type ImageType } from '../src/domain/image-types.ts';
import { makeAnimatedGif, makeAvif, makeJpeg, makePng, makePngBomb, makeWebp, textFile } from './support/images.ts';

const samples: Record<ImageType, () => Promise<Buffer>> = {
  jpeg: () => makeJpeg(640, 480),
  png: () => makePng(320, 240),
  // One frame: only the first frame has to be whole (see below).
  gif: () => sharp({ create: { width: 120, height: 80, channels: 3, background: '#aa3300', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).gif().toBuffer(),
  webp: () => makeWebp(320, 240),
  avif: () => makeAvif(320, 240),
};

/** Pushes `bytes` in chunks of `size` (the last may be shorter), as a network would deliver them. */
function verdict(type: ImageType, bytes: Buffer, size = 64 * 1024) {
  const check = createStructureCheck(type);
  for (let at = 0; at < bytes.length; at += size) check.push(bytes.subarray(at, at + size));
  return check.end();
}

describe.each(Object.entries(samples) as Array<[ImageType, () => Promise<Buffer>]>)('%s', (type, make) => {
  it('is told from its first bytes', async () => {
    expect(sniffImageType((await make()).subarray(0, sniffLength))).toBe(type);
  });

  it('is whole, however the bytes are split', async () => {
    const bytes = await make();
    for (const size of [1, 7, 4096, bytes.length]) expect(verdict(type, bytes, size), `chunks of ${size}`).toEqual({ whole: true });
  });

  it('is found truncated wherever it is cut', async () => {
    const bytes = await make();
    for (const fraction of [0.1, 0.5, 0.9, 0.999]) {
      const cut = Math.max(sniffLength, Math.floor(bytes.length * fraction));
      // At least the last two bytes go: a GIF's trailer alone is forgiven.
      expect(verdict(type, bytes.subarray(0, Math.min(cut, bytes.length - 2)), 1000), `cut at ${fraction}`).toMatchObject({ whole: false });
    }
  });
});

describe('a JPEG', () => {
  it('with an EXIF thumbnail (a whole JPEG inside) is still found truncated when the image itself is cut', async () => {
    const thumbnail = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } }).jpeg().toBuffer();
    const main = await makeJpeg(800, 600);
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumbnail]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(payload.length + 2);
    const withThumbnail = Buffer.concat([main.subarray(0, 2), Buffer.from([0xff, 0xe1]), length, payload, main.subarray(2)]);
    expect(verdict('jpeg', withThumbnail)).toEqual({ whole: true });
    expect(verdict('jpeg', withThumbnail.subarray(0, withThumbnail.length - 1000))).toMatchObject({ whole: false, reason: expect.stringMatching(/truncated/) });
  });

  it('with garbage after its end is whole (cameras append data)', async () => {
    expect(verdict('jpeg', Buffer.concat([await makeJpeg(300, 200), Buffer.from('trailing data')]))).toEqual({ whole: true });
  });

  it('whose segments make no sense is damaged, not a crash', () => {
    const bogus = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0x00, 0x00]);
    expect(verdict('jpeg', bogus)).toMatchObject({ whole: false, reason: expect.stringMatching(/damaged/) });
  });
});

describe('a GIF', () => {
  it('without its trailer is whole once its first frame is (only that frame is used)', async () => {
    const gif = await makeAnimatedGif(120, 80);
    expect(gif.at(-1)).toBe(0x3b);
    expect(verdict('gif', gif.subarray(0, gif.length - 1))).toEqual({ whole: true });
    expect(verdict('gif', gif.subarray(0, 40))).toMatchObject({ whole: false });
  });
});

describe('what is not an image we take', () => {
  it('is not sniffed as one; the kinds people try are named', async () => {
    expect(sniffImageType(textFile())).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
    expect(describeOtherType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('SVG');
    expect(describeOtherType(Buffer.from('%PDF-1.7'))).toBe('PDF');
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).tiff().toBuffer();
    expect(sniffImageType(tiff)).toBeUndefined();
    expect(describeOtherType(tiff)).toBe('TIFF');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    expect(sniffImageType(heic)).toBeUndefined();
    expect(describeOtherType(heic)).toBe('HEIC/HEIF');
  });

  it('a bomb is a whole PNG: only its size gives it away (checked from the header, see uploads.test.ts)', () => {
    expect(verdict('png', makePngBomb())).toEqual({ whole: true });
  });
});
