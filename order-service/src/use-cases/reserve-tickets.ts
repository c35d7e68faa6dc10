import { randomUUID } from 'node:crypto';
import { postgresError } from '@twenny/db';
import { HttpProblem, problemTypes } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { holdRefusals, insertHold, type HeldReservation, type HoldItem } from '../db/holds.ts';
import { holdFacts } from '../db/reservation-reads.ts';
import { explainHoldRefusal, type HoldRefusal } from '../domain/hold-rules.ts';
import type { HoldTimers } from '../jobs/hold-timers.ts';
import { expireOverdueHolds } from './expire-reservation.ts';

export interface ReserveInput {
  eventId: string;
  items: HoldItem[];
}

export interface ReservationView {
  id: string;
  status: 'held';
  eventId: string;
  expiresAt: string;
  items: Array<HoldItem & { unitPriceMinor: number }>;
  total: number;
  currency: string;
}

export interface ReserveDeps {
  db: DbExecutor;
  timers: HoldTimers;
  holdSeconds: number;
  maxTicketsPerBuyer: number;
}

/**
 * Holds tickets for the caller. The hold statement decides (see insertHold);
 * when stock runs short, holds whose time is up are released first — an expired
 * hold never blocks a buyer, whether or not its timer fired — and the hold is
 * tried once more. A refusal is explained from the database's numbers.
 */
export async function reserveTickets(deps: ReserveDeps, caller: Identity, input: ReserveInput): Promise<ReservationView> {
  const reservationId = randomUUID();
  const items = [...input.items].sort((a, b) => a.ticketTypeId.localeCompare(b.ticketTypeId));
  const hold = () => insertHold(deps.db, { reservationId, userId: caller.userId, eventId: input.eventId, items, lifetimeSeconds: deps.holdSeconds, maxTicketsPerBuyer: deps.maxTicketsPerBuyer });

  let held: HeldReservation | undefined;
  for (let attempt = 1; !held; attempt++) {
    try {
      held = await hold();
    } catch (error) {
      const failure = postgresError(error);
      if (!failure || attempt > 2) throw await refusal(deps, caller, input, failure?.code === holdRefusals.deadlock ? { kind: 'busy' } : undefined, error);
      if (failure.code === holdRefusals.deadlock) continue;
      // Holds past their time never stand in the way: release them and try once more.
      const shortOfStock = failure.code === holdRefusals.checkViolation && failure.constraint === holdRefusals.inventoryConstraint;
      if (shortOfStock && (await expireOverdueHolds(deps.db, { limit: 50, ticketTypeIds: items.map((i) => i.ticketTypeId) })) > 0) continue;
      const overLimit = failure.code === holdRefusals.checkViolation && failure.constraint === holdRefusals.allowanceConstraint;
      if (overLimit && (await expireOverdueHolds(deps.db, { limit: 50, buyer: { userId: caller.userId, eventId: input.eventId } })) > 0) continue;
      throw await refusal(deps, caller, input, undefined, error);
    }
  }
  await deps.timers.start(reservationId, held.expiresAt);
  return { id: reservationId, status: 'held', eventId: input.eventId, expiresAt: held.expiresAt.toISOString(), items: held.items, total: held.totalMinor, currency: held.currency };
}

async function refusal(deps: ReserveDeps, caller: Identity, input: ReserveInput, known: HoldRefusal | undefined, error: unknown): Promise<HttpProblem> {
  const failure = postgresError(error);
  const expected = failure && (failure.code === holdRefusals.notHoldable || failure.code === holdRefusals.checkViolation || failure.code === holdRefusals.deadlock);
  if (!expected) throw error;
  const facts = await holdFacts(deps.db, input.eventId, caller.userId, input.items.map((i) => i.ticketTypeId));
  const reason = known ?? explainHoldRefusal({ event: facts.event, ticketTypes: facts.ticketTypes, items: input.items, now: new Date(), buyer: { tickets: facts.buyerTickets, limit: deps.maxTicketsPerBuyer } });
  return problemFor(reason);
}

export function problemFor(reason: HoldRefusal): HttpProblem {
  switch (reason.kind) {
    case 'unknown-event':
      return HttpProblem.notFound('There is no event on sale with this id.');
    case 'not-on-sale':
      return new HttpProblem({ type: 'https://twenny.dev/problems/not-on-sale', title: 'Not on sale', status: 410, detail: `This event is not on sale (${reason.status}).`, eventStatus: reason.status });
    case 'invalid':
      return new HttpProblem({ type: problemTypes.validation, title: 'Cannot hold these tickets', status: 422, detail: reason.errors.map((e) => e.reason).join(' '), errors: reason.errors });
    case 'over-buyer-limit': {
      const left = Math.max(0, reason.limit - reason.alreadyHeldOrBought);
      return new HttpProblem({
        type: 'https://twenny.dev/problems/buyer-limit',
        title: 'Over the limit per buyer',
        status: 422,
        detail: `Each buyer may have at most ${reason.limit} tickets for this event; you hold or have bought ${reason.alreadyHeldOrBought}, so you can add ${left} more.`,
        limit: reason.limit,
        remaining: left,
      });
    }
    case 'not-enough-left':
      return new HttpProblem({
        type: 'https://twenny.dev/problems/not-enough-left',
        title: 'Not enough tickets left',
        status: 409,
        detail: reason.left.map((l) => (l.available === 0 ? `"${l.name}" is sold out.` : `Only ${l.available} "${l.name}" left.`)).join(' '),
        left: reason.left.map(({ ticketTypeId, available }) => ({ ticketTypeId, available })),
      });
    case 'busy':
      return new HttpProblem({ type: problemTypes.conflict, title: 'Try again', status: 409, detail: 'Tickets changed hands while we tried to hold yours; try again.' }, { 'retry-after': '1' });
  }
}
