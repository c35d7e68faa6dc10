import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './payment-provider.ts';

/**
 * Webhook signatures the way Stripe makes them: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">`. The timestamp is signed with the body, so
 * a captured webhook cannot be replayed outside the tolerance; while a secret
 * is being rotated the sender signs with each secret (several `v1`), and the
 * receiver accepts any one that matches a secret it holds.
 */
export const signatureHeaderName = 'twenny-signature';

export const defaultToleranceSeconds = 300;

// A real header is ~80 characters per secret; anything this long is not one.
const maxHeaderLength = 1024;
const maxSignatures = 8;

type Secrets = string | readonly string[];

function secretList(secrets: Secrets): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0 || list.some((secret) => secret.length === 0)) throw new Error('webhook signing needs at least one non-empty secret');
  return list;
}

function hmac(secret: string, timestamp: number, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The header value for `rawBody`, signed now (or at `nowMs`) with each secret. */
export function signWebhook(rawBody: string | Buffer, secrets: Secrets, nowMs = Date.now()): string {
  const timestamp = Math.floor(nowMs / 1000);
  const signatures = secretList(secrets).map((secret) => `v1=${hmac(secret, timestamp, rawBody).toString('hex')}`);
  return [`t=${timestamp}`, ...signatures].join(',');
}

/**
 * Checks the header against the raw body, exactly as received (a re-serialised
 * body would not match). Returns the signed timestamp; throws
 * WebhookSignatureError for anything else, whatever the header holds.
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string | readonly string[] | undefined,
  secrets: Secrets,
  { toleranceSeconds = defaultToleranceSeconds, nowMs = Date.now() }: { toleranceSeconds?: number; nowMs?: number } = {},
): number {
  const { timestamp, signatures } = parseSignatureHeader(header);
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError('webhook signature timestamp is outside the tolerance');
  }
  // Every pair is compared (no early exit), each in constant time.
  let matched = false;
  for (const secret of secretList(secrets)) {
    const expected = hmac(secret, timestamp, rawBody);
    for (const signature of signatures) if (timingSafeEqual(expected, signature)) matched = true;
  }
  if (!matched) throw new WebhookSignatureError('no webhook signature matches');
  return timestamp;
}

function parseSignatureHeader(header: string | readonly string[] | undefined): { timestamp: number; signatures: Buffer[] } {
  if (header === undefined || header === '') throw new WebhookSignatureError(`the ${signatureHeaderName} header is missing`);
  // Two headers are two claims, and nothing says which one to believe.
  if (typeof header !== 'string') throw new WebhookSignatureError(`more than one ${signatureHeaderName} header`);
  if (header.length > maxHeaderLength) throw new WebhookSignatureError(`the ${signatureHeaderName} header is too long`);
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0) throw new WebhookSignatureError(`the ${signatureHeaderName} header is malformed`);
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) throw new WebhookSignatureError(`the ${signatureHeaderName} header has a bad timestamp`);
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) throw new WebhookSignatureError(`the ${signatureHeaderName} header has a malformed v1 signature`);
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future v2) are ignored, so the sender can add one first.
  }
  if (timestamp === undefined) throw new WebhookSignatureError(`the ${signatureHeaderName} header has no timestamp`);
  if (signatures.length === 0) throw new WebhookSignatureError(`the ${signatureHeaderName} header has no v1 signature`);
  if (signatures.length > maxSignatures) throw new WebhookSignatureError(`the ${signatureHeaderName} header has too many signatures`);
  return { timestamp, signatures };
}
