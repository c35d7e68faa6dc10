import { hash } from 'node:crypto';

/** Cache keys are digests: a heap dump or a debug print never shows a session or a token. */
export function cacheKey(secret: string): string {
  // One-shot: no Hash object per call (this runs on every request).
  return hash('sha256', secret, 'base64url');
}
