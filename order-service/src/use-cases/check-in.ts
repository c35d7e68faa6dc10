import { HttpProblem } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { admit, ticketByCode } from '../db/check-in-store.ts';
import { verifyTicketCode, type TicketVerificationKeys } from '../domain/ticket-code.ts';

/**
 * Checks a ticket in at the door, by the code its QR carries. Members of the
 * organisation that owns the event may; the first scan admits, every later one
 * is told when and by whom it was used. The signature is checked before the
 * database is asked, so forged codes cost nothing.
 */
export async function checkIn(db: DbExecutor, keys: TicketVerificationKeys, caller: Identity, input: { code: string; eventId?: string }) {
  const verified = verifyTicketCode(input.code, keys);
  if (!verified.ok) throw unknownCode();
  const found = await ticketByCode(db, input.code.trim());
  if (!found) throw unknownCode();
  const { ticket, organizationId, eventTitle, ticketTypeName } = found;
  if (!organizationRole(caller, organizationId)) throw HttpProblem.forbidden('Only members of the organisation that owns this event may check its tickets in.');
  const base = { ticketId: ticket.id, eventId: ticket.eventId, eventTitle, ticketTypeName, attendeeName: ticket.attendeeName };
  if (input.eventId && input.eventId !== ticket.eventId) {
    throw HttpProblem.conflict(`This ticket is for another event: ${eventTitle}.`, { outcome: 'wrong-event', ...base });
  }
  if (ticket.status === 'void') throw HttpProblem.conflict('This ticket was refunded and is no longer valid.', { outcome: 'void', ...base });
  const admitted = await admit(db, ticket.id, { userId: caller.userId, email: caller.email });
  if (admitted) return { outcome: 'admitted' as const, ...base, checkedInAt: admitted.checkedInAt!.toISOString() };
  const again = (await ticketByCode(db, ticket.code))!.ticket;
  if (again.status === 'void') throw HttpProblem.conflict('This ticket was refunded and is no longer valid.', { outcome: 'void', ...base });
  throw HttpProblem.conflict(`Already checked in at ${again.checkedInAt!.toISOString()} by ${again.checkedInByEmail ?? 'someone'}.`, {
    outcome: 'already-used',
    ...base,
    checkedInAt: again.checkedInAt!.toISOString(),
    checkedInBy: again.checkedInByEmail,
  });
}

function unknownCode() {
  return HttpProblem.notFound('This is not a ticket of ours: the code is unknown or has been tampered with.');
}
