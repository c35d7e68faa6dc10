import { reservationReleasedV1 } from '@twenny/contracts';
import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { endHold } from '../db/holds.ts';
import { reservationWithItems } from '../db/reservation-reads.ts';
import { orderOutbox } from '../messaging/order-outbox.ts';

/**
 * The buyer lets their hold go early: its tickets are back on sale at once,
 * and order.reservation.released.v1 says so (in the same statement). Repeating
 * it is harmless.
 */
export async function releaseReservation(db: DbExecutor, caller: Identity, reservationId: string): Promise<void> {
  const reservation = await reservationWithItems(db, reservationId);
  if (!reservation || reservation.userId !== caller.userId) throw HttpProblem.notFound(`You have no reservation ${reservationId}.`);
  if (reservation.status === 'converted') throw HttpProblem.conflict('This reservation was paid for; refund the order instead.');
  if (reservation.status !== 'held') return;
  const message = orderOutbox.prepare(reservationReleasedV1, {
    subject: reservationId,
    // A hold has two versions: held (1), then ended (2).
    version: 2,
    data: {
      reservationId,
      eventId: reservation.eventId,
      releasedAt: new Date().toISOString(),
      items: reservation.items.map(({ ticketTypeId, quantity }) => ({ ticketTypeId, quantity })),
    },
  });
  await endHold(db, reservationId, { endedBy: 'released', onlyIfExpired: false, userId: caller.userId, message });
}
