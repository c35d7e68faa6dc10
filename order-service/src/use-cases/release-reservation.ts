import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { endHold } from '../db/holds.ts';
import { reservationWithItems } from '../db/reservation-reads.ts';

/** The buyer lets their hold go early: its tickets are back on sale at once. Repeating it is harmless. */
export async function releaseReservation(db: DbExecutor, caller: Identity, reservationId: string): Promise<void> {
  const reservation = await reservationWithItems(db, reservationId);
  if (!reservation || reservation.userId !== caller.userId) throw HttpProblem.notFound(`You have no reservation ${reservationId}.`);
  if (reservation.status === 'converted') throw HttpProblem.conflict('This reservation was paid for; refund the order instead.');
  await endHold(db, reservationId, { endedBy: 'released', onlyIfExpired: false, userId: caller.userId });
}
