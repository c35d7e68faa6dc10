/**
 * Images made in the test, with sharp (and, for the bomb, by hand: sharp would
 * have to encode its 900 megapixels). Nothing is read from disk.
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A photo-like picture: a colour gradient with some noise, `width`×`height`. */
function picture(width: number, height: number, colour = '#3366cc') {
  return sharp({ create: { width, height, channels: 3, background: colour, noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).composite([
    { input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width / 2}" height="${height}" fill="${colour}"/></svg>`) },
  ]);
}

export const makeJpeg = (width = 1200, height = 800) => picture(width, height).jpeg({ quality: 85 }).toBuffer();
export const makePng = (width = 1000, height = 700) => picture(width, height).png().toBuffer();
export const makeWebp = (width = 900, height = 600) => picture(width, height).webp().toBuffer();
export const makeAvif = (width = 800, height = 600) => picture(width, height).avif({ effort: 0 }).toBuffer();

/** An animated GIF of three frames, red, green, blue: only the first (red) becomes variants. */
export async function makeAnimatedGif(width = 500, height = 300): Promise<Buffer> {
  const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((colour) => sharp({ create: { width, height, channels: 4, background: colour } }).png().toBuffer()));
  return sharp(frames, { join: { animated: true } }).gif({ delay: [200, 200, 200], loop: 0 }).toBuffer();
}

/**
 * A JPEG as a phone writes it: EXIF with the camera, GPS coordinates, and
 * orientation 6 (stored 1200×800, shown 800×1200).
 */
export function makeJpegWithGps(): Promise<Buffer> {
  return picture(1200, 800)
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Secret Model 9' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 22/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '4/1 53/1 5678/100' },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

/** The first half of a JPEG: its header is intact, its image data is not. */
export async function makeTruncatedJpeg(): Promise<Buffer> {
  const whole = await makeJpeg(1600, 1200);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

/** A whole JPEG (every marker in place, EOI at the end) whose image data is scrambled: it passes the upload's checks and fails to decode. */
export async function makeScrambledJpeg(): Promise<Buffer> {
  const whole = Buffer.from(await makeJpeg(800, 600));
  const scanStart = whole.indexOf(Buffer.from([0xff, 0xda]));
  const from = scanStart + 200;
  const to = whole.length - 200;
  for (let at = from; at < to; at += 7) whole[at] = whole[at]! === 0xff ? 0x00 : 0xff;
  // Keep it free of markers other than the stuffed 0xFF00 the scrambling made.
  for (let at = from; at < to; at++) if (whole[at] === 0xff) whole[at + 1] = 0x00;
  return whole;
}

/**
 * A decompression bomb: a valid 30000×30000 PNG (900 megapixels, one bit each,
 * all zero) that compresses to ~110 KB.
 */
export function makePngBomb(width = 30_000, height = 30_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** `size` bytes that start like a JPEG: over a size limit before anything else matters. */
export function makeOversizedJpeg(size: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), randomBytes(size - 6)]);
}

export const textFile = () => Buffer.from('Dear organiser,\nthis is a letter, not a picture. Renamed to .jpg all the same.\n'.repeat(20));
