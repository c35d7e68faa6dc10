import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * media-service finished an uploaded image: its responsive variants are ready.
 * Subject: the image id. `eventId` names the event it was uploaded for (as its
 * cover); catalog attaches it only when the event belongs to `organizationId`.
 */
export const imageProcessedV1 = defineMessage({
  type: 'media.image.processed.v1',
  data: z.object({
    imageId: z.uuid(),
    organizationId: z.uuid(),
    eventId: z.uuid().nullable(),
    // Stored as text and jsonb, which cannot hold NUL.
    alt: z.string().max(500).regex(/^[^\u0000]*$/, 'must not contain NUL'),
    width: z.number().int().positive().max(100_000),
    height: z.number().int().positive().max(100_000),
    variants: z
      .array(z.object({ width: z.number().int().positive(), height: z.number().int().positive(), format: z.enum(['avif', 'webp', 'jpeg']), url: z.string().min(1).max(2000).regex(/^[^\u0000]*$/, 'must not contain NUL') }))
      .min(1)
      .max(50),
    /** Added in 1.1: a tiny blurred preview to show while a variant loads (a data URI of a few hundred bytes). */
    placeholder: z.string().max(4000).regex(/^data:image\/(webp|png|jpeg);base64,[A-Za-z0-9+/=]+$/, 'must be a base64 image data URI').optional(),
    /** Added in 1.1: the image's dominant colour, `#rrggbb`, for a background while it loads. */
    dominantColor: z.string().regex(/^#[0-9a-f]{6}$/, 'must be #rrggbb in lower case').optional(),
  }),
  fixture: {
    imageId: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
    eventId: '5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22',
    alt: 'The stage at Amsterdam Jazz Night',
    width: 2400,
    height: 1350,
    variants: [
      { width: 640, height: 360, format: 'webp', url: '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/640.webp' },
      { width: 1280, height: 720, format: 'avif', url: '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/1280.avif' },
    ],
    placeholder: 'data:image/webp;base64,UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA',
    dominantColor: '#2a3b4c',
  },
  personalData: [],
});
