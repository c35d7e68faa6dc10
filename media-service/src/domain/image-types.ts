/**
 * The image types media-service accepts, told from their first bytes (never from
 * a file name or a Content-Type, which the client chooses).
 */
export const imageTypes = ['jpeg', 'png', 'gif', 'webp', 'avif'] as const;
export type ImageType = (typeof imageTypes)[number];

export const contentTypeOf: Record<ImageType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** How many leading bytes `sniffImageType` looks at. */
export const sniffLength = 32;

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((byte, i) => head[at + i] === byte);
const ascii = (head: Uint8Array, from: number, to: number) => String.fromCharCode(...head.subarray(from, to));

/** ISO-BMFF brands of the `ftyp` box at the start (major and compatible), or [] if there is none. */
function ftypBrands(head: Uint8Array): string[] {
  if (head.length < 16 || ascii(head, 4, 8) !== 'ftyp') return [];
  const size = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const end = Math.min(size, head.length);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(head, at, at + 4));
  return brands;
}

/** The type of an image from its first `sniffLength` bytes, or undefined for anything else. */
export function sniffImageType(head: Uint8Array): ImageType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return 'gif';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  const brands = ftypBrands(head);
  if (brands.includes('avif') || brands.includes('avis')) return 'avif';
  return undefined;
}

/** A name for bytes of a kind people upload by mistake, to say what was sent; undefined when unknown. */
export function describeOtherType(head: Uint8Array): string | undefined {
  const brands = ftypBrands(head);
  if (brands.some((b) => ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1'].includes(b))) return 'HEIC/HEIF';
  if (brands.length > 0) return 'a video (MP4/QuickTime)';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  if (startsWith(head, [0x42, 0x4d])) return 'BMP';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'PDF';
  if (/^\s*(<\?xml|<svg)/i.test(ascii(head, 0, Math.min(head.length, 16)))) return 'SVG';
  return undefined;
}
