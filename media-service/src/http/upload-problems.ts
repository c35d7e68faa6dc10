import { HttpProblem, problemTypes } from '@twenny/http-kit';
import { imageTypes } from '../domain/image-types.ts';

/** Problem types of media-service's own (stable: clients may switch on them). */
export const mediaProblemTypes = {
  unreadableImage: 'https://twenny.dev/problems/unreadable-image',
  imageTooLarge: 'https://twenny.dev/problems/image-too-large',
} as const;

const accepted = imageTypes.map((t) => t.toUpperCase()).join(', ');

/** Every refusal an upload can meet, worded for the person who sent it. */
export const uploadProblems = {
  notMultipart: () =>
    new HttpProblem({ type: problemTypes.unsupportedMediaType, title: 'Unsupported media type', status: 415, detail: 'Send the image as multipart/form-data, with the image in a field named `file` and the `organizationId` it belongs to.' }),
  malformed: (why: string) => new HttpProblem({ type: problemTypes.malformedBody, title: 'Malformed form', status: 400, detail: `The multipart body cannot be read: ${why}.` }),
  tooLarge: (limit: number) =>
    new HttpProblem({ type: problemTypes.payloadTooLarge, title: 'Payload too large', status: 413, detail: `The file is larger than the ${(limit / 1_048_576).toFixed(limit % 1_048_576 === 0 ? 0 : 1)} MiB (${limit} bytes) accepted.`, limit }),
  notAnImage: (what: string | undefined) =>
    new HttpProblem({ type: problemTypes.unsupportedMediaType, title: 'Unsupported media type', status: 415, detail: `The file is ${what ?? 'not an image of a supported type'}: upload ${accepted}.`, accepted: [...imageTypes] }),
  damaged: (why: string) => new HttpProblem({ type: mediaProblemTypes.unreadableImage, title: 'Unreadable image', status: 422, detail: `The image cannot be used: ${why}. Export it again and upload the new file.` }),
  tooManyPixels: (width: number, height: number, maxPixels: number) =>
    new HttpProblem({
      type: mediaProblemTypes.imageTooLarge,
      title: 'Image too large',
      status: 422,
      detail: `The image is ${width}×${height} pixels (${formatMegapixels(width * height)} megapixels); at most ${formatMegapixels(maxPixels)} megapixels are accepted. Scale it down and upload it again.`,
      width,
      height,
      maxPixels,
    }),
  missingFile: () => HttpProblem.validation([{ name: 'body.file', reason: 'Required: the image, as a file field named `file`.' }], 'The form has no file: send the image in a field named `file`.'),
};

function formatMegapixels(pixels: number): string {
  const megapixels = pixels / 1_000_000;
  return megapixels >= 10 ? megapixels.toFixed(0) : megapixels.toFixed(1);
}
