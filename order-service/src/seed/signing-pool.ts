/**
 * Signs ticket codes for the huge seed on worker threads. Ed25519 signing is
 * the seed's biggest cost (about 17,000 codes a second per core here, where
 * Postgres takes the rest of the rows far faster), so the codes are signed on
 * every core, and ahead: while the other tables load, the pool already works
 * through the tickets in the order the tickets' COPY will want them.
 */
import { Worker } from 'node:worker_threads';
import { issueTicketCode } from '../domain/ticket-code.ts';
import { parseTicketSigningKeys } from '../tickets/signing-keys.ts';

export interface SignRequest {
  id: number;
  ticketIds: string[];
  eventIds: string[];
}

export interface SignResult {
  id: number;
  /** The batch's codes, in order, joined by "\n", as latin1 bytes (a code is ASCII). */
  codes: Uint8Array;
}

export interface TicketBatch {
  ticketIds: string[];
  eventIds: string[];
}

/** A batch's codes: `code(i)` is the code of the batch's ticket i. */
export interface SignedBatch {
  readonly size: number;
  code(i: number): string;
}

export interface SigningPool {
  /** Worker threads; 0 signs on the calling thread. */
  readonly threads: number;
  sign(batch: TicketBatch): Promise<SignedBatch>;
  close(): Promise<void>;
}

/** `keys` is a TICKET_SIGNING_KEYS value (already checked by the caller); its first key signs. */
export function createSigningPool(keys: string, threads: number): SigningPool {
  if (threads === 0) {
    const { active } = parseTicketSigningKeys(keys);
    return {
      threads,
      sign: async ({ ticketIds, eventIds }) => fromBytes(Buffer.from(ticketIds.map((ticketId, i) => issueTicketCode({ ticketId, eventId: eventIds[i]! }, active)).join('\n'), 'latin1'), ticketIds.length),
      close: async () => undefined,
    };
  }

  const pending = new Map<number, { size: number; resolve: (codes: SignedBatch) => void; reject: (error: Error) => void }>();
  const queue: SignRequest[] = [];
  const idle: Worker[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  let closing = false;

  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
    queue.length = 0;
  };
  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) idle.pop()!.postMessage(queue.shift()!);
  };

  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(new URL('./sign-worker.ts', import.meta.url), { workerData: { keys } });
    worker.on('message', ({ id, codes }: SignResult) => {
      const request = pending.get(id);
      request?.resolve(fromBytes(codes, request.size));
      pending.delete(id);
      idle.push(worker);
      dispatch();
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a ticket signing thread stopped (exit code ${code})`));
    });
    idle.push(worker);
    return worker;
  });

  return {
    threads,
    sign({ ticketIds, eventIds }) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { size: ticketIds.length, resolve, reject });
        queue.push({ id, ticketIds, eventIds });
        dispatch();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/**
 * The batches' codes in order, signed up to `ahead` batches before they are
 * asked for: the pool keeps working while the caller does something else. A
 * few batches per thread are in flight at a time, so the batches are made
 * (on this thread) as they are needed, not all at once.
 */
export function signAhead(pool: SigningPool, batches: Iterator<TicketBatch>, ahead: number) {
  const signing: Array<Promise<SignedBatch>> = [];
  const maxInFlight = Math.max(1, pool.threads) * 3;
  const startedAt = performance.now();
  let inFlight = 0;
  let exhausted = false;
  let signed = 0;
  let seconds = 0;
  const pump = () => {
    while (!exhausted && inFlight < maxInFlight && signing.length < ahead) {
      const next = batches.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      inFlight++;
      const codes = pool.sign(next.value);
      signing.push(codes);
      codes.then(
        (batch) => {
          inFlight--;
          signed += batch.size;
          seconds = (performance.now() - startedAt) / 1000;
          pump();
        },
        () => undefined, // awaited in order by next(), not unhandled meanwhile
      );
    }
  };
  pump();
  return {
    /** Codes signed so far, and the seconds from the start to the last of them. */
    signed: () => ({ codes: signed, seconds }),
    /** The next batch's codes; undefined after the last. */
    async next(): Promise<SignedBatch | undefined> {
      pump();
      const codes = signing.shift();
      if (!codes) return undefined;
      const result = await codes;
      pump();
      return result;
    },
  };
}

/**
 * Codes kept as the bytes the thread sent (outside the JS heap: a few million
 * codes ahead are hundreds of megabytes), decoded when the batch is used.
 */
function fromBytes(bytes: Uint8Array, size: number): SignedBatch {
  let codes: string[] | undefined;
  const all = () => (codes ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1').split('\n'));
  return { size, code: (i) => all()[i]! };
}
