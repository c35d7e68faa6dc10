/**
 * Which variants an image gets: WebP at 400, 800 and 1600 px wide, and AVIF at
 * the same widths when it is on. Never enlarged: an image narrower than a width
 * gets no variant at that width, and its own width instead when it is narrower
 * than the largest (so the largest variant is always as sharp as the original allows).
 */
export const variantWidths = [400, 800, 1600] as const;
export const variantFormats = ['webp', 'avif'] as const;
export type VariantFormat = (typeof variantFormats)[number];

export interface PlannedVariant {
  name: string;
  format: VariantFormat;
  width: number;
}

export const variantContentType: Record<VariantFormat, string> = { webp: 'image/webp', avif: 'image/avif' };

/** `800.webp`: the last segment of a variant's URL. */
export const variantNamePattern = /^([1-9][0-9]{0,4})\.(webp|avif)$/;

export function variantName(width: number, format: VariantFormat): string {
  return `${width}.${format}`;
}

/** The widths for an image `sourceWidth` pixels wide (as displayed, after orientation). */
export function plannedWidths(sourceWidth: number): number[] {
  const widths: number[] = variantWidths.filter((width) => width < sourceWidth);
  const largest = variantWidths[variantWidths.length - 1]!;
  if (sourceWidth >= largest) widths.push(largest);
  else widths.push(sourceWidth);
  return [...new Set(widths)].sort((a, b) => a - b);
}

export function planVariants(sourceWidth: number, formats: readonly VariantFormat[]): PlannedVariant[] {
  return formats.flatMap((format) => plannedWidths(sourceWidth).map((width) => ({ name: variantName(width, format), format, width })));
}

/** A variant's public URL, served by the gateway's `/media/:id/:variant` route. */
export function variantUrl(imageId: string, name: string): string {
  return `/media/${imageId}/${name}`;
}
