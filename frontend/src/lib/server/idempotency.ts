import { randomUUID } from 'node:crypto';

// What order-service accepts as an Idempotency-Key: 1–200 printable ASCII characters.
const keyPattern = /^[\x21-\x7e]{1,200}$/;

/** A key for one attempt: made when a form is rendered, so a double submit of that form is one request. */
export function newIdempotencyKey(): string {
  return randomUUID();
}

/**
 * The key the form carried. A form without one (an old tab, a hand-made post)
 * gets a fresh key: it still works, only without double-submit protection.
 */
export function idempotencyKeyFrom(form: FormData): string {
  const key = form.get('idempotencyKey');
  return typeof key === 'string' && keyPattern.test(key) ? key : newIdempotencyKey();
}

/**
 * The key the next attempt of a failed form should carry. After a refusal (4xx)
 * the next try is a new attempt: a new key. After 429, a 5xx or no answer the
 * first attempt may still have landed (a hold made after our timeout): the
 * same key, so trying again gets that attempt's answer instead of a second hold.
 */
export function idempotencyKeyForRetry(form: FormData, status: number): string {
  return status === 429 || status >= 500 ? idempotencyKeyFrom(form) : newIdempotencyKey();
}
