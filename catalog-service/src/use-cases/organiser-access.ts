import { HttpProblem, problemTypes } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { editViolations, type Violation } from '../domain/event-rules.ts';
import { lockEvent, type EventRow } from '../db/event-store.ts';

/** Organisers manage their own organisation's events: any member (owner, admin or member). */
export function requireMember(identity: Identity, organizationId: string): void {
  if (!organizationRole(identity, organizationId)) throw HttpProblem.forbidden('Only members of the organisation that owns this event may do this.');
}

/**
 * What only owners and admins may do: cancelling refunds every paid order, as
 * refunding one order needs them in order-service. Members (door staff, say)
 * run events but do not move money.
 */
export function requireOwnerOrAdmin(identity: Identity, organizationId: string, what: string): void {
  const role = organizationRole(identity, organizationId);
  if (!role) requireMember(identity, organizationId);
  if (role !== 'owner' && role !== 'admin') throw HttpProblem.forbidden(`Only owners and admins of the organisation may ${what}.`);
}

/** The event, locked for this transaction, if it exists and the caller may manage it. */
export async function eventForOrganiser(tx: DbExecutor, identity: Identity, eventId: string, options: { editing?: boolean; ownersAndAdminsMay?: string } = {}): Promise<EventRow> {
  const event = await lockEvent(tx, eventId);
  if (!event) throw HttpProblem.notFound(`There is no event ${eventId}.`);
  if (options.ownersAndAdminsMay) requireOwnerOrAdmin(identity, event.organizationId, options.ownersAndAdminsMay);
  else requireMember(identity, event.organizationId);
  if (options.editing) refuse(editViolations(event), 'conflict');
  return event;
}

/** Throws the violations as a problem: 422 for input that breaks a rule, 409 for the event's state. */
export function refuse(violations: Violation[], kind: 'invalid' | 'conflict' = 'invalid'): void {
  if (violations.length === 0) return;
  if (kind === 'conflict') throw HttpProblem.conflict(violations.map((v) => v.reason).join(' '), { errors: violations });
  throw new HttpProblem({ type: problemTypes.validation, title: 'Invalid input', status: 422, detail: violations.map((v) => v.reason).join(' '), errors: violations });
}
