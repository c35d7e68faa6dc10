/**
 * The rules of an event's life, without I/O. Each check returns what is wrong
 * (empty: allowed), worded for the organiser who has to fix it.
 */

export type EventStatus = 'draft' | 'published' | 'cancelled' | 'ended';
export type StatusChange = 'publish' | 'unpublish' | 'cancel';

export interface Violation {
  /** The input field at fault, as the API names it (`body.endsAt`), or `event` for the whole. */
  name: string;
  reason: string;
}

export interface EventState {
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  firstPublishedAt: Date | null;
}

export interface TicketTypeState {
  id?: string;
  capacity: number;
  priceMinor: number;
  salesStartAt: Date | null;
  salesEndAt: Date | null;
  minPerOrder: number;
  maxPerOrder: number;
  hidden: boolean;
}

const maxEventDays = 60;

export function scheduleViolations(schedule: { startsAt: Date; endsAt: Date }, field = 'body'): Violation[] {
  const violations: Violation[] = [];
  if (schedule.endsAt <= schedule.startsAt) violations.push({ name: `${field}.endsAt`, reason: 'The end must be after the start.' });
  else if (schedule.endsAt.getTime() - schedule.startsAt.getTime() > maxEventDays * 86_400_000) {
    violations.push({ name: `${field}.endsAt`, reason: `An event may last at most ${maxEventDays} days.` });
  }
  return violations;
}

/** Sales window and order limits of one ticket type, against its event's schedule. */
export function ticketTypeViolations(ticketType: TicketTypeState, event: { endsAt: Date }, field: string): Violation[] {
  const violations: Violation[] = [];
  const { salesStartAt, salesEndAt } = ticketType;
  if (salesStartAt && salesEndAt && salesEndAt <= salesStartAt) violations.push({ name: `${field}.salesEndAt`, reason: 'Sales must end after they start.' });
  if (salesEndAt && salesEndAt > event.endsAt) violations.push({ name: `${field}.salesEndAt`, reason: 'Sales cannot go on after the event has ended.' });
  if (salesStartAt && salesStartAt >= event.endsAt) violations.push({ name: `${field}.salesStartAt`, reason: 'Sales must start before the event ends.' });
  if (ticketType.maxPerOrder < ticketType.minPerOrder) violations.push({ name: `${field}.maxPerOrder`, reason: 'The most per order cannot be below the least per order.' });
  if (ticketType.minPerOrder > ticketType.capacity) violations.push({ name: `${field}.minPerOrder`, reason: 'The least per order cannot exceed the capacity.' });
  return violations;
}

/** A ticket type's capacity may not fall below what is already sold. */
export function capacityViolations(capacity: number, sold: number, field: string): Violation[] {
  return capacity < sold ? [{ name: `${field}.capacity`, reason: `${sold} tickets are already sold; the capacity cannot go below that.` }] : [];
}

/** Whether the event's details and ticket types may still be changed. */
export function editViolations(event: Pick<EventState, 'status'>): Violation[] {
  if (event.status === 'cancelled') return [{ name: 'event', reason: 'The event is cancelled; it can no longer be changed.' }];
  if (event.status === 'ended') return [{ name: 'event', reason: 'The event has ended; it can no longer be changed.' }];
  return [];
}

const transitions: Record<StatusChange, { from: readonly EventStatus[]; to: EventStatus }> = {
  publish: { from: ['draft'], to: 'published' },
  unpublish: { from: ['published'], to: 'draft' },
  cancel: { from: ['draft', 'published'], to: 'cancelled' },
};

/** The status after `change`, or why it is not allowed now. */
export function statusChange(
  event: EventState,
  change: StatusChange,
  context: { now: Date; visibleTicketTypes: number },
): { to: EventStatus } | { violations: Violation[] } {
  const rule = transitions[change];
  if (!rule.from.includes(event.status)) {
    return { violations: [{ name: 'event', reason: `A ${event.status} event cannot be ${pastTense[change]}.` }] };
  }
  if (change === 'publish') {
    const violations: Violation[] = [];
    if (context.visibleTicketTypes === 0) violations.push({ name: 'event', reason: 'Add at least one ticket type that is not hidden before publishing.' });
    if (event.endsAt <= context.now) violations.push({ name: 'event', reason: 'The event is already over; move its dates before publishing.' });
    if (violations.length > 0) return { violations };
  }
  // Cancelling is for events people may have bought into; a draft never published is deleted instead.
  if (change === 'cancel' && event.status === 'draft' && !event.firstPublishedAt) {
    return { violations: [{ name: 'event', reason: 'This draft was never published: delete it instead of cancelling it.' }] };
  }
  return { to: rule.to };
}

const pastTense: Record<StatusChange, string> = { publish: 'published', unpublish: 'unpublished', cancel: 'cancelled' };

/**
 * Only drafts that never sold may be deleted. A draft never published cannot
 * have sold; one unpublished later may have, as far as order-service has told us.
 */
export function deleteViolations(event: Pick<EventState, 'status' | 'firstPublishedAt'>, numbers: { sold: number; held: number }): Violation[] {
  if (event.status !== 'draft') return [{ name: 'event', reason: `Only drafts can be deleted; this event is ${event.status}${event.status === 'published' ? ' (unpublish or cancel it)' : ''}.` }];
  // Holds made while it was on sale stay valid, and may still become sales.
  if (event.firstPublishedAt && numbers.sold + numbers.held > 0) return [{ name: 'event', reason: `${numbers.sold} tickets were sold and ${numbers.held} are held for this event; cancel it instead.` }];
  return [];
}

/** A published event keeps at least one ticket type buyers can see. */
export function visibleTypeViolations(event: Pick<EventState, 'status'>, visibleAfter: number): Violation[] {
  return event.status === 'published' && visibleAfter === 0 ? [{ name: 'event', reason: 'A published event needs at least one visible ticket type; unpublish it first.' }] : [];
}

/** A published event cannot be moved to dates already past (its buyers would never be refunded). */
export function pastScheduleViolations(event: Pick<EventState, 'status'>, schedule: { endsAt: Date }, now: Date): Violation[] {
  return event.status === 'published' && schedule.endsAt <= now ? [{ name: 'body.endsAt', reason: 'A published event cannot end in the past; cancel it instead.' }] : [];
}

/** A ticket type may be removed only while none of it is sold or held. */
export function removeTicketTypeViolations(numbers: { sold: number; held: number }): Violation[] {
  if (numbers.sold > 0 || numbers.held > 0) {
    return [{ name: 'ticketType', reason: `${numbers.sold} sold and ${numbers.held} held: hide this ticket type instead of removing it.` }];
  }
  return [];
}

/** The price range listings filter on: over the ticket types buyers can see. */
export function priceRange(ticketTypes: Array<Pick<TicketTypeState, 'priceMinor' | 'hidden'>>): { min: number | null; max: number | null } {
  const prices = ticketTypes.filter((t) => !t.hidden).map((t) => t.priceMinor);
  return prices.length === 0 ? { min: null, max: null } : { min: Math.min(...prices), max: Math.max(...prices) };
}
