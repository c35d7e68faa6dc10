import { createHash } from 'node:crypto';

/** Cache keys are digests: a heap dump or a debug print never shows a session or a token. */
export function cacheKey(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
