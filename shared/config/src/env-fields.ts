import { z } from 'zod';

/** Builders for environment variables, so every service spells them the same way. */
export const env = {
  /** 0 asks the OS for a free port (tests). */
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),

  int: (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
    z.coerce.number().int().min(min).max(max).default(fallback),

  /** A URL whose scheme is one of `schemes` (e.g. ['postgres:', 'postgresql:']). */
  url: (schemes: string[], fallback?: string) => {
    const field = z.string().refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}` },
    );
    return fallback === undefined ? field : field.default(fallback);
  },

  optionalUrl: (schemes: string[]) =>
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .refine(
        (value) => {
          if (value === undefined) return true;
          try {
            return schemes.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        { message: `must be empty or a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}` },
      ),

  bool: (fallback: boolean) => z.stringbool().default(fallback),

  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),

  /** A name usable as an AMQP/Redis prefix: letters, digits, dot, dash, underscore. */
  prefix: (fallback = '') =>
    z
      .string()
      .regex(/^[a-zA-Z0-9._-]*$/, 'may contain only letters, digits, ".", "-" and "_"')
      .default(fallback),
};
