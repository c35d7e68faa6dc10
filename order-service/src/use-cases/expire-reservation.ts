import { reservationExpiredV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { endHold, overdueHoldIds } from '../db/holds.ts';
import { reservationWithItems } from '../db/reservation-reads.ts';
import { orderOutbox } from '../messaging/order-outbox.ts';

export type ExpiryOutcome = 'expired' | 'already-ended' | 'not-due' | 'unknown';

/**
 * Releases a hold whose time is up, if it is still held, and announces it
 * (order.reservation.expired.v1, in the same statement). Safe to call from the
 * hold's timer, the sweeper and a buyer's refused hold at once: one of them ends it.
 */
export async function expireReservation(db: DbExecutor, reservationId: string): Promise<ExpiryOutcome> {
  const reservation = await reservationWithItems(db, reservationId);
  if (!reservation) return 'unknown';
  if (reservation.status !== 'held') return 'already-ended';
  const message = orderOutbox.prepare(reservationExpiredV1, {
    subject: reservationId,
    // A hold has two versions: held (1), then ended (2).
    version: 2,
    data: {
      reservationId,
      eventId: reservation.eventId,
      expiresAt: reservation.expiresAt.toISOString(),
      items: reservation.items.map(({ ticketTypeId, quantity }) => ({ ticketTypeId, quantity })),
    },
  });
  if (await endHold(db, reservationId, { endedBy: 'expired', onlyIfExpired: true, message })) return 'expired';
  const now = await reservationWithItems(db, reservationId);
  return now?.status === 'held' ? 'not-due' : 'already-ended';
}

/** Releases up to `limit` overdue holds (of the given ticket types, or of one buyer for one event, if given); returns how many it released. */
export async function expireOverdueHolds(db: DbExecutor, options: Parameters<typeof overdueHoldIds>[1]): Promise<number> {
  let expired = 0;
  for (const id of await overdueHoldIds(db, options)) {
    if ((await expireReservation(db, id)) === 'expired') expired++;
  }
  return expired;
}
