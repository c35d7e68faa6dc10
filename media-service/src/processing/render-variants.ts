import sharp, { type Sharp } from 'sharp';
import { planVariants, type VariantFormat } from '../domain/variant-plan.ts';

export interface RenderOptions {
  formats: readonly VariantFormat[];
  avifEffort: number;
  /** Refused above this many pixels (first frame), before anything is decoded. */
  maxPixels: number;
}

export interface RenderedVariant {
  name: string;
  format: VariantFormat;
  width: number;
  height: number;
  bytes: Buffer;
}

export interface RenderedImage {
  /** As displayed: after orientation. */
  width: number;
  height: number;
  /** A tiny blurred WebP as a data URI. */
  placeholder: string;
  /** `#rrggbb`. */
  dominantColor: string;
  variants: RenderedVariant[];
}

/** The input does not decode: damaged, not what its header says, or over the pixel limit. Retrying will not help. */
export class UndecodableImageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UndecodableImageError';
  }
}

export const encoderSettings = {
  webp: { quality: 80 },
  avif: { quality: 50 },
  placeholder: { width: 16, quality: 40 },
} as const;

/**
 * Makes an image's variants. The original is decoded once, already oriented
 * (EXIF) and shrunk to the largest width needed (JPEG shrinks while it decodes),
 * into raw sRGB pixels; each variant is resized from those and encoded. Only the
 * first frame of an animation is used. Output carries no metadata at all (sharp
 * strips EXIF, GPS included, XMP, IPTC and ICC by default, converting to sRGB).
 * Variants are made one after another: the caller's concurrency decides how many
 * cores are busy (sharp runs one libvips thread per image here).
 */
export async function renderVariants(input: Buffer, options: RenderOptions): Promise<RenderedImage> {
  const open = () => sharp(input, { limitInputPixels: options.maxPixels, pages: 1, failOn: 'warning' });
  try {
    const metadata = await open().metadata();
    const turned = (metadata.orientation ?? 1) >= 5;
    const storedWidth = metadata.width ?? 0;
    const storedHeight = metadata.pageHeight ?? metadata.height ?? 0;
    const width = turned ? storedHeight : storedWidth;
    const plan = planVariants(width, options.formats);
    const largest = Math.max(...plan.map((v) => v.width));

    const { data, info } = await open().rotate().resize({ width: largest, withoutEnlargement: true }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const raw = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });

    const variants: RenderedVariant[] = [];
    for (const planned of plan) {
      const resized = raw().resize({ width: planned.width, withoutEnlargement: true });
      const { data: bytes, info: out } = await encode(resized, planned.format, options).toBuffer({ resolveWithObject: true });
      variants.push({ ...planned, width: out.width, height: out.height, bytes });
    }

    const tiny = raw().resize({ width: encoderSettings.placeholder.width, withoutEnlargement: true });
    const placeholder = await tiny.clone().blur(0.6).webp({ quality: encoderSettings.placeholder.quality }).toBuffer();
    const { dominant } = await tiny.clone().stats();
    const height = Math.round((turned ? storedWidth : storedHeight) || info.height);
    return {
      width,
      height,
      placeholder: `data:image/webp;base64,${placeholder.toString('base64')}`,
      dominantColor: `#${[dominant.r, dominant.g, dominant.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`,
      variants,
    };
  } catch (error) {
    throw new UndecodableImageError(describeSharpError(error), { cause: error });
  }
}

function encode(image: Sharp, format: VariantFormat, options: RenderOptions): Sharp {
  return format === 'avif' ? image.avif({ quality: encoderSettings.avif.quality, effort: options.avifEffort }) : image.webp({ quality: encoderSettings.webp.quality });
}

/** libvips' message, first line, without paths: shown to the organiser as the reason. */
function describeSharpError(error: unknown): string {
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!.trim();
  if (/pixel limit/i.test(message)) return 'The image has more pixels than are accepted.';
  return `The image data is damaged or not supported (${message.slice(0, 300)}).`;
}
