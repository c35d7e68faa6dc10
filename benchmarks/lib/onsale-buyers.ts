/**
 * The buyers of bench:onsale, in a process of their own (so that they share no
 * event loop with anything measured; they still share the machine's cores).
 * Each of `concurrency` lanes takes the next buyer, holds (POST
 * /api/reservations), and if the hold is granted, checks out in direct mode
 * (POST /api/reservations/:id/checkout with an Idempotency-Key and a test card)
 * once the buyer's think time has passed (naming the attendees, typing a card;
 * 0: at once). A lane does whichever checkout is due first, else the next
 * buyer's hold: at most `concurrency` requests are in flight. Every buyer has a bearer token
 * and a client address (X-Forwarded-For) of their own. Reports when the held
 * tickets reach `targetTickets` (the sell-out), and at the end every figure.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

const maxCheckoutAttempts = 3;

export interface Buyer {
  token: string;
  /** The buyer's client address, as a load balancer in front of the gateway would forward it. */
  address: string;
  ticketTypeId: string;
  quantity: number;
}

export interface BuyersCommand {
  gatewayUrl: string;
  eventId: string;
  buyers: Buyer[];
  concurrency: number;
  /** Held tickets at which the ticket type (or the run) counts as sold out. */
  targetTickets: number;
  /** No new buyer starts once `targetTickets` are held (the spread run, whose stock lasts longer). */
  stopAtTarget: boolean;
  /** Buyers only hold, and never check out (what the hold path alone sustains). */
  holdOnly?: boolean;
  /** No new buyer starts once this long has passed since the sell-out (bounds the refusals' tail); undefined: every buyer comes. */
  tailMs?: number;
  /** How long a buyer takes between the hold and the checkout, spread evenly over [min, max] ms; [0, 0]: at once. */
  thinkMs?: [number, number];
}

/** A granted hold waiting for its buyer to check out. */
interface PendingCheckout {
  dueAt: number;
  index: number;
  buyer: Buyer;
  reservation: { id: string; items: Array<{ ticketTypeId: string; quantity: number }> };
}

/** Sent when the first request leaves and when the held tickets reach the target, so the parent can sample CPU time. */
export type BuyersNotice = { kind: 'started' } | { kind: 'sold-out'; atMs: number };

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface BuyersReport {
  kind: 'report';
  buyersStarted: number;
  /** ms from the first request to the hold answer that brought the held tickets to the target; null if never. */
  soldOutAtMs: number | null;
  /** Held tickets and granted holds counted up to and including that answer. */
  ticketsAtSoldOut: number;
  holdsAtSoldOut: number;
  ticketsHeld: number;
  holdsGranted: number;
  checkouts: number;
  ticketsCheckedOut: number;
  /** ms from the first request to the first checkout sent, and to the last successful checkout's answer. */
  firstCheckoutAtMs: number;
  lastCheckoutAtMs: number;
  /** ms from the first request to the last answer of all. */
  durationMs: number;
  /** Refused holds (409 sold out) answered after the sell-out, and the span they were answered in. */
  refusalsAfterSoldOut: number;
  refusalSpanMs: number;
  /** Every answer, retries included. */
  statuses: { hold: Record<string, number>; checkout: Record<string, number> };
  /** Checkouts sent again with the same Idempotency-Key after a 5xx or no answer. */
  checkoutRetries: number;
  /** 409 answers by problem type (the last path segment: not-enough-left, conflict…). */
  refusalTypes: Record<string, number>;
  latency: { holdGranted: Latencies; holdRefused: Latencies; checkout: Latencies };
  /** A few answers that were neither expected success nor a sold-out refusal, for diagnosis. */
  samples: string[];
}

function latencies(values: number[]): Latencies {
  if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

async function run(command: BuyersCommand): Promise<BuyersReport> {
  const { buyers, concurrency, targetTickets, stopAtTarget, eventId } = command;
  const pool = new Pool(command.gatewayUrl, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const statuses = { hold: {} as Record<string, number>, checkout: {} as Record<string, number> };
  const refusalTypes: Record<string, number> = {};
  const lat = { holdGranted: [] as number[], holdRefused: [] as number[], checkout: [] as number[] };
  const samples: string[] = [];
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  let next = 0;
  let ticketsHeld = 0;
  let holdsGranted = 0;
  let soldOutAtMs: number | null = null;
  let ticketsAtSoldOut = 0;
  let holdsAtSoldOut = 0;
  let checkouts = 0;
  let ticketsCheckedOut = 0;
  let firstCheckoutAtMs = Infinity;
  let lastCheckoutAtMs = 0;
  let lastAnswerAtMs = 0;
  let refusalsAfterSoldOut = 0;
  let retries = 0;
  let firstRefusalAfter = Infinity;
  let lastRefusalAfter = 0;

  const call = async (method: 'POST', path: string, buyer: Buyer, body: unknown, extra: Record<string, string> = {}) => {
    const response = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${buyer.token}`, 'content-type': 'application/json', 'x-forwarded-for': buyer.address, ...extra },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, text };
  };
  const sample = (what: string) => {
    if (samples.length < 8) samples.push(what.slice(0, 400));
  };

  const [thinkMin, thinkMax] = command.thinkMs ?? [0, 0];
  // The same think time for the same buyer from run to run (a hash of its index).
  const thinkTimeOf = (index: number) => thinkMin + ((Math.imul(index + 1, 0x9e3779b1) >>> 0) / 2 ** 32) * (thinkMax - thinkMin);
  const pending: PendingCheckout[] = [];
  let holdsInFlight = 0;
  const maySendNewBuyer = () => !(soldOutAtMs !== null && (stopAtTarget || (command.tailMs !== undefined && performance.now() - t0 - soldOutAtMs > command.tailMs)));
  const takeDueCheckout = (now: number): PendingCheckout | undefined => {
    let earliest = -1;
    for (let i = 0; i < pending.length; i++) if (pending[i]!.dueAt <= now && (earliest < 0 || pending[i]!.dueAt < pending[earliest]!.dueAt)) earliest = i;
    return earliest < 0 ? undefined : pending.splice(earliest, 1)[0];
  };

  const hold = async (index: number, buyer: Buyer) => {
    const items = [{ ticketTypeId: buyer.ticketTypeId, quantity: buyer.quantity }];
    const start = performance.now();
    let answer;
    try {
      answer = await call('POST', '/api/reservations', buyer, { eventId, items });
    } catch (error) {
      count(statuses.hold, 'error');
      sample(`hold: ${(error as Error).message}`);
      return;
    }
    const now = performance.now();
    lastAnswerAtMs = now - t0;
    count(statuses.hold, String(answer.status));
    if (answer.status === 201) {
      lat.holdGranted.push(now - start);
      holdsGranted++;
      ticketsHeld += buyer.quantity;
      if (soldOutAtMs === null && ticketsHeld >= targetTickets) {
        soldOutAtMs = now - t0;
        ticketsAtSoldOut = ticketsHeld;
        holdsAtSoldOut = holdsGranted;
        process.send!({ kind: 'sold-out', atMs: soldOutAtMs } satisfies BuyersNotice);
      }
      if (!command.holdOnly) pending.push({ dueAt: now + thinkTimeOf(index), index, buyer, reservation: JSON.parse(answer.text) as PendingCheckout['reservation'] });
      return;
    }
    if (answer.status !== 409) {
      sample(`hold ${answer.status}: ${answer.text}`);
      return;
    }
    lat.holdRefused.push(now - start);
    let type = '(not problem+json)';
    try {
      type = String((JSON.parse(answer.text) as { type?: string }).type ?? '(no type)').split('/').pop()!;
    } catch {
      // counted as such
    }
    count(refusalTypes, type);
    if (soldOutAtMs !== null) {
      refusalsAfterSoldOut++;
      firstRefusalAfter = Math.min(firstRefusalAfter, start - t0);
      lastRefusalAfter = now - t0;
    }
    if (type !== 'not-enough-left') sample(`hold ${answer.status}: ${answer.text}`);
  };

  const checkOut = async ({ index, buyer, reservation }: PendingCheckout) => {
    const attendees = reservation.items.flatMap((item) =>
      Array.from({ length: item.quantity }, (_, i) => ({ ticketTypeId: item.ticketTypeId, name: `Attendee ${index}-${i + 1}`, email: `attendee-${index}-${i + 1}@example.test` })),
    );
    // A checkout that failed in a way a retry may fix (5xx, no answer) is retried with the same
    // Idempotency-Key, as a client should: it never pays twice, and the buyer learns the outcome.
    const start = performance.now();
    firstCheckoutAtMs = Math.min(firstCheckoutAtMs, start - t0);
    const key = randomUUID();
    let checkout: { status: number; text: string } | undefined;
    for (let attempt = 1; attempt <= maxCheckoutAttempts; attempt++) {
      if (attempt > 1) retries++;
      try {
        checkout = await call('POST', `/api/reservations/${reservation.id}/checkout`, buyer, { attendees, payment: { method: 'card', cardNumber: '4242 4242 4242 4242' } }, { 'idempotency-key': key });
      } catch (error) {
        count(statuses.checkout, 'error');
        sample(`checkout: ${(error as Error).message}`);
        checkout = undefined;
        continue;
      }
      count(statuses.checkout, String(checkout.status));
      if (checkout.status < 500) break;
      sample(`checkout ${checkout.status}: ${checkout.text}`);
    }
    const now = performance.now();
    lastAnswerAtMs = now - t0;
    if (!checkout) return;
    if (checkout.status === 201) {
      lat.checkout.push(now - start);
      checkouts++;
      ticketsCheckedOut += buyer.quantity;
      lastCheckoutAtMs = now - t0;
    } else if (checkout.status < 500) {
      sample(`checkout ${checkout.status}: ${checkout.text}`);
    }
  };

  const t0 = performance.now();
  process.send!({ kind: 'started' } satisfies BuyersNotice);
  const lane = async () => {
    for (;;) {
      const due = takeDueCheckout(performance.now());
      if (due) {
        await checkOut(due);
        continue;
      }
      if (maySendNewBuyer() && next < buyers.length) {
        const index = next++;
        holdsInFlight++;
        await hold(index, buyers[index]!).finally(() => holdsInFlight--);
        continue;
      }
      // Nothing to send now: wait for the next checkout to fall due (or for holds in flight to add one).
      if (pending.length === 0 && holdsInFlight === 0) return;
      const soonest = pending.reduce((min, p) => Math.min(min, p.dueAt), Infinity);
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.max(1, soonest - performance.now()))));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  await pool.close();
  return {
    kind: 'report',
    buyersStarted: Math.min(next, buyers.length),
    soldOutAtMs,
    ticketsAtSoldOut,
    holdsAtSoldOut,
    ticketsHeld,
    holdsGranted,
    checkouts,
    ticketsCheckedOut,
    firstCheckoutAtMs: Number.isFinite(firstCheckoutAtMs) ? firstCheckoutAtMs : 0,
    lastCheckoutAtMs,
    durationMs: lastAnswerAtMs,
    refusalsAfterSoldOut,
    refusalSpanMs: refusalsAfterSoldOut > 0 ? lastRefusalAfter - firstRefusalAfter : 0,
    statuses,
    checkoutRetries: retries,
    refusalTypes,
    latency: { holdGranted: latencies(lat.holdGranted), holdRefused: latencies(lat.holdRefused), checkout: latencies(lat.checkout) },
    samples,
  };
}

process.on('message', (command: BuyersCommand) => {
  run(command).then(
    (report) => process.send!(report),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
