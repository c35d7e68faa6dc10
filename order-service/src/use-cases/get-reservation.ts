import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { reservationWithItems } from '../db/reservation-reads.ts';

/** The caller's own hold, with its status as a buyer should see it: a hold past its time is expired even before its timer fires. */
export async function getReservation(db: DbExecutor, caller: Identity, reservationId: string) {
  const r = await reservationWithItems(db, reservationId);
  if (!r || r.userId !== caller.userId) throw HttpProblem.notFound(`You have no reservation ${reservationId}.`);
  const status = r.status === 'held' && r.expiresAt.getTime() <= Date.now() ? 'expired' : r.status;
  return { id: r.id, status, eventId: r.eventId, expiresAt: r.expiresAt.toISOString(), items: r.items, total: r.totalMinor, currency: r.currency };
}
