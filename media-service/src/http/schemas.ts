import { z } from 'zod';

const noNul = /^[^\u0000]*$/;

/** The form fields of an upload (the file itself is the `file` part). */
export const uploadFields = z.strictObject({
  organizationId: z.uuid('The id (a UUID) of the organisation the image belongs to; you must be a member.'),
  /** Empty means none: forms send empty fields. */
  eventId: z
    .union([z.literal(''), z.uuid('The id (a UUID) of the event the image is for, or nothing.')])
    .optional()
    .transform((value) => value || null),
  alt: z.string().max(500, 'At most 500 characters.').regex(noNul, 'Must not contain NUL.').default(''),
});
export type UploadFields = z.output<typeof uploadFields>;

/** Image ids in their canonical (lower-case) form: storage keys and URLs are made from them. */
const imageId = z.uuid('An image id (a UUID).').transform((id) => id.toLowerCase());

export const imageParams = z.strictObject({ id: imageId });

export const variantParams = z.strictObject({
  id: imageId,
  variant: z.string().regex(/^[1-9][0-9]{0,4}\.(webp|avif)$/, 'A variant name such as 800.webp.'),
});

const variantView = z.object({
  name: z.string(),
  format: z.enum(['webp', 'avif']),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  url: z.string(),
});

/** What GET /api/media/images/{id} answers (and POST answers the first two fields of). */
export const imageView = z.object({
  id: z.uuid(),
  status: z.enum(['processing', 'ready', 'failed']),
  organizationId: z.uuid(),
  eventId: z.uuid().nullable(),
  alt: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  placeholder: z.string().nullable(),
  dominantColor: z.string().nullable(),
  variants: z.array(variantView),
  failureReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
});
export type ImageView = z.output<typeof imageView>;
