import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * media-service could not make variants of an uploaded image (it passed the
 * upload's checks but does not decode, or processing kept failing). Subject: the
 * image id. `reason` is written for the organiser who uploaded it.
 */
export const imageFailedV1 = defineMessage({
  type: 'media.image.failed.v1',
  data: z.object({
    imageId: z.uuid(),
    organizationId: z.uuid(),
    eventId: z.uuid().nullable(),
    /** `undecodable`: the bytes are not a whole image; `processing`: it kept failing for reasons of ours. */
    code: z.enum(['undecodable', 'processing']),
    reason: z.string().min(1).max(500).regex(/^[^\u0000]*$/, 'must not contain NUL'),
  }),
  fixture: {
    imageId: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    code: 'undecodable',
    reason: 'The image data is damaged (VipsJpeg: premature end of JPEG image).',
  },
  personalData: [],
});
