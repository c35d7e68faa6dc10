/**
 * Event images as the organiser area shows them, in the browser and on the
 * server alike: which processed variant to show, and upload failures in words.
 */

interface Variant {
  width: number;
  format: string;
  url: string;
}

/** The media service's limit (MEDIA_MAX_UPLOAD_BYTES): checked before sending, to fail fast on a phone. */
export const maxUploadBytes = 25 * 1024 * 1024;
export const acceptedImageTypes = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

/** The WebP variant nearest `width` without going under it (or the largest there is). */
export function previewVariant<T extends Variant>(variants: T[], width = 800): T | undefined {
  const webp = variants.filter((v) => v.format === 'webp').sort((a, b) => a.width - b.width);
  const pool = webp.length > 0 ? webp : [...variants].sort((a, b) => a.width - b.width);
  return pool.find((v) => v.width >= width) ?? pool.at(-1);
}

/** `srcset` of the WebP variants: the browser picks by the space it has. */
export function srcset(variants: Variant[]): string {
  return variants
    .filter((v) => v.format === 'webp')
    .map((v) => `${v.url} ${v.width}w`)
    .join(', ');
}

const byStatus: Record<number, string> = {
  400: 'The upload was not complete. Please choose the file again.',
  401: 'Your session has ended. Sign in again, then upload the image.',
  403: 'Only members of this team can add images to its events.',
  413: 'The image is too large: the limit is 25 MB.',
  415: 'That file is not an image we accept. Use a JPEG, PNG, WebP, AVIF or GIF.',
  422: 'The image is damaged or too large in pixels. Try exporting it again.',
  429: 'Too many uploads in a short time. Wait a minute and try again.',
};

/** An upload the API refused, as one sentence; the API's own sentence when it gives one. */
export function uploadFailureMessage(status: number, detail?: string): string {
  if (detail && status !== 400 && !/`|errors/.test(detail)) return detail;
  return byStatus[status] ?? 'The upload did not work. Please try again in a moment.';
}
