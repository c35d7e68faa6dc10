import { describe, expect, it } from 'vitest';
import { explainHoldRefusal, type TicketTypeFacts } from '../src/domain/hold-rules.ts';

const now = new Date('2027-03-01T10:00:00Z');
const event = { status: 'published', endsAt: new Date('2027-03-12T23:00:00Z') };
const standing: TicketTypeFacts = { ticketTypeId: 't1', name: 'Standing', capacity: 10, held: 3, sold: 5, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 6, hidden: false, removed: false };
const buyer = { tickets: 0, limit: 10 };
const explain = (overrides: Partial<Parameters<typeof explainHoldRefusal>[0]>) => explainHoldRefusal({ event, ticketTypes: [standing], items: [{ ticketTypeId: 't1', quantity: 1 }], now, buyer, ...overrides });

describe('why a hold was refused', () => {
  it('names an event that is gone or not on sale', () => {
    expect(explain({ event: undefined })).toEqual({ kind: 'unknown-event' });
    expect(explain({ event: { ...event, status: 'draft' } })).toEqual({ kind: 'unknown-event' });
    expect(explain({ event: { ...event, status: 'cancelled' } })).toEqual({ kind: 'not-on-sale', status: 'cancelled' });
    expect(explain({ event: { ...event, endsAt: now } })).toEqual({ kind: 'not-on-sale', status: 'ended' });
  });

  it('names ticket types not on sale, outside their window or their per-order limits', () => {
    const reasons = (t: Partial<TicketTypeFacts>, quantity = 1) => explain({ ticketTypes: [{ ...standing, ...t }], items: [{ ticketTypeId: 't1', quantity }] });
    expect(reasons({ hidden: true })).toMatchObject({ kind: 'invalid', errors: [{ name: 'body.items[0]', reason: 'Ticket type t1 is not on sale for this event.' }] });
    expect(reasons({ removed: true })).toMatchObject({ kind: 'invalid' });
    expect(reasons({ salesStartAt: new Date('2027-03-02T00:00:00Z') })).toMatchObject({ errors: [{ reason: 'Sales of "Standing" start at 2027-03-02T00:00:00.000Z.' }] });
    expect(reasons({ salesEndAt: now })).toMatchObject({ errors: [{ reason: 'Sales of "Standing" ended at 2027-03-01T10:00:00.000Z.' }] });
    expect(reasons({ minPerOrder: 2 })).toMatchObject({ errors: [{ reason: '"Standing" is sold at least 2 per order.' }] });
    expect(reasons({}, 7)).toMatchObject({ errors: [{ reason: '"Standing" is sold at most 6 per order.' }] });
    expect(explain({ ticketTypes: [] })).toMatchObject({ kind: 'invalid' });
  });

  it('puts the per-buyer limit before stock', () => {
    expect(explain({ buyer: { tickets: 9, limit: 10 }, items: [{ ticketTypeId: 't1', quantity: 3 }] })).toEqual({ kind: 'over-buyer-limit', limit: 10, alreadyHeldOrBought: 9 });
  });

  it('says how many are left when stock runs short', () => {
    expect(explain({ items: [{ ticketTypeId: 't1', quantity: 3 }] })).toEqual({ kind: 'not-enough-left', left: [{ ticketTypeId: 't1', name: 'Standing', available: 2, wanted: 3 }] });
    expect(explain({ ticketTypes: [{ ...standing, held: 6 }] })).toMatchObject({ left: [{ available: 0 }] });
  });

  it('calls it a race when nothing stands in the way any more', () => {
    expect(explain({})).toEqual({ kind: 'busy' });
  });
});
