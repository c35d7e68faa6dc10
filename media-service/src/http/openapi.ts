import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { imageParams, imageView, uploadFields, variantParams } from './schemas.ts';

const problem = (description: string) => ({ description, content: { 'application/problem+json': {} } });

const uploadForm = z.object({
  file: z.string().meta({ format: 'binary', description: 'The image: JPEG, PNG, WebP, AVIF or GIF (its first frame). Its type is told from its bytes.' }),
  organizationId: uploadFields.shape.organizationId,
  eventId: z.uuid().optional().meta({ description: 'The event it is for: once processed, catalog makes it the cover of that event if the event belongs to the same organisation.' }),
  alt: z.string().max(500).optional().meta({ description: 'Text for people who cannot see the image.' }),
});

/** media-service's API, from the zod schemas its routes validate with. */
export function mediaApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'media-service', version: '1' },
    paths: {
      '/api/media/images': {
        post: {
          operationId: 'uploadImage',
          summary: 'Upload an image of your organisation; variants are made in the background',
          requestBody: { content: { 'multipart/form-data': { schema: uploadForm } } },
          responses: {
            202: { description: 'Accepted: `{ id, status: "processing" }`; poll the Location.', content: { 'application/json': { schema: imageView.pick({ id: true, status: true }) } } },
            400: problem('A field is missing or malformed (`errors` names each), no file, or a malformed form.'),
            401: problem('Not signed in.'),
            403: problem('Not a member of that organisation.'),
            413: problem('The file is over the size limit.'),
            415: problem('Not multipart/form-data, or the file is not a JPEG, PNG, WebP, AVIF or GIF.'),
            422: problem('The image is damaged or truncated, or has more pixels than accepted.'),
          },
        },
      },
      '/api/media/images/{id}': {
        get: {
          operationId: 'getImage',
          summary: "An image's status and, once ready, its variants, placeholder and dominant colour",
          requestParams: { path: imageParams },
          responses: { 200: { description: 'The image.', content: { 'application/json': { schema: imageView } } }, 401: problem('Not signed in.'), 403: problem('Not a member of its organisation.'), 404: problem('No such image.') },
        },
      },
      '/media/{id}/{variant}': {
        get: {
          operationId: 'getVariant',
          summary: 'A variant\'s bytes (e.g. 800.webp): immutable caching, ETag, byte ranges',
          requestParams: { path: variantParams },
          responses: {
            200: { description: 'The image.', content: { 'image/webp': {}, 'image/avif': {} } },
            206: { description: 'The requested byte range.' },
            304: { description: 'Not modified (If-None-Match).' },
            404: problem('No such image or variant.'),
            416: problem('The range is outside the file.'),
          },
        },
      },
    },
  });
}
