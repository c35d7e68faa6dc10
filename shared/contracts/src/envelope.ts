import { z } from 'zod';

/**
 * What travels on the bus, around every message's data (see the design brief).
 * `version` is the aggregate's version after the change: projections use it to
 * ignore messages that arrive late or twice. Unknown fields are ignored.
 */
export const envelopeSchema = z.object({
  // Lower-cased: Postgres returns uuids that way, and ids are compared as strings.
  id: z.uuid().transform((id) => id.toLowerCase()),
  type: z.string().regex(/^[a-z]+(\.[a-z][a-z-]*)+\.v\d+$/, 'must look like <context>.<fact>.v<major>'),
  source: z.string().min(1).max(100),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(200),
  version: z.number().int().nonnegative(),
  data: z.unknown(),
});

export type Envelope<TData = unknown> = Omit<z.output<typeof envelopeSchema>, 'data'> & { data: TData };
