import sharp from 'sharp';
import type { ImageType } from '../domain/image-types.ts';

export interface ImageHeader {
  type: ImageType | undefined;
  /** Size of the first frame, as stored (before orientation). */
  width: number;
  height: number;
}

/**
 * What the image's header says, read by libvips without decoding a pixel (cheap
 * enough for the HTTP process). Rejects when the header cannot be parsed.
 */
export async function readImageHeader(path: string): Promise<ImageHeader> {
  // No pixel limit here: the caller compares the size itself, to say what it is.
  const metadata = await sharp(path, { limitInputPixels: false }).metadata();
  const type = metadata.format === 'heif' ? (metadata.compression === 'av1' ? 'avif' : undefined) : (['jpeg', 'png', 'gif', 'webp'] as const).find((t) => t === metadata.format);
  return { type, width: metadata.width ?? 0, height: metadata.pageHeight ?? metadata.height ?? 0 };
}
