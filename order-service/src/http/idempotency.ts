import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request } from 'express';
import { HttpProblem, problemTypes, type ProblemBody } from '@twenny/http-kit';
import type { DbExecutor } from '@twenny/messaging';
import { claimKey, claimStaleKey, completeKey, readKey, releaseKey, type KeyRef } from '../db/idempotency-store.ts';

export interface IdempotentResult {
  status: number;
  body: unknown;
  /** True when the answer is the one kept from an earlier request with the same key. */
  replayed: boolean;
}

const keyPattern = /^[\x21-\x7e]{1,200}$/;
/** A request that started this long ago and never finished is taken to have died with its process. */
const staleAfterMs = 60_000;
const waitForFirstMs = 30_000;

/** The Idempotency-Key header: required or optional; printable ASCII, at most 200 characters. */
export function idempotencyKeyOf(req: Request, required: boolean): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) {
    if (required) throw HttpProblem.validation([{ name: 'header.idempotency-key', reason: 'Send an Idempotency-Key header (for example a UUID made once per attempt) so a retried request is not applied twice.' }]);
    return undefined;
  }
  if (!keyPattern.test(key)) throw HttpProblem.validation([{ name: 'header.idempotency-key', reason: 'Must be 1–200 printable ASCII characters without spaces.' }]);
  return key;
}

/**
 * Runs `operation` once per (caller, scope, key). A repeat with the same key
 * and the same request gets the first answer — successes and refusals (4xx)
 * alike; a repeat arriving while the first still runs waits for it; the same
 * key with a different request is refused with 422. A failure that a retry may
 * fix (5xx) frees the key.
 */
export async function idempotently(
  db: DbExecutor,
  ref: KeyRef | undefined,
  request: unknown,
  operation: () => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  if (!ref) return { ...(await operation()), replayed: false };
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
  const deadline = Date.now() + waitForFirstMs;
  for (;;) {
    if ((await claimKey(db, ref, requestHash)) || (await claimStaleKey(db, ref, requestHash, staleAfterMs))) return run(db, ref, operation);
    const row = await readKey(db, ref);
    if (!row) continue; // freed by a failed first request: claim it now
    if (row.requestHash !== requestHash) {
      throw new HttpProblem({ type: problemTypes.validation, title: 'Idempotency key reused', status: 422, detail: 'This Idempotency-Key was already used for a different request. Use a new key for a new request.' });
    }
    if (row.completedAt && row.responseStatus !== null) return replay(row.responseStatus, row.responseBody);
    if (Date.now() > deadline) throw HttpProblem.conflict('A request with this Idempotency-Key is still being processed; try again shortly.');
    await sleep(50);
  }
}

async function run(db: DbExecutor, ref: KeyRef, operation: () => Promise<{ status: number; body: unknown }>): Promise<IdempotentResult> {
  let result: { status: number; body: unknown };
  try {
    result = await operation();
  } catch (error) {
    // "Try again" (Retry-After, 429) is no answer to keep: the retry with this key must run.
    if (error instanceof HttpProblem && error.status < 500 && error.status !== 429 && !error.headers['retry-after']) {
      await completeKey(db, ref, { status: error.status, body: error.body });
      throw error;
    }
    await releaseKey(db, ref).catch(() => undefined);
    throw error;
  }
  await completeKey(db, ref, result);
  return { ...result, replayed: false };
}

function replay(status: number, body: unknown): IdempotentResult {
  if (status >= 400) throw new HttpProblem(body as ProblemBody);
  return { status, body, replayed: true };
}
