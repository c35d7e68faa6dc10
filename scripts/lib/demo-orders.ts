/**
 * The demo attendee buys a few tickets, through the gateway as a buyer would
 * (hold, then checkout with the test provider's success card in direct mode),
 * so "My tickets" and the organiser's sales views have something to show.
 * Runs right after the demo events were first published.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoAccounts } from '../../auth-service/src/seed/demo-accounts.ts';
import { demoSession } from './demo-session.ts';

const purchases = [
  { title: 'Canal Jazz Night', quantity: 2 },
  { title: 'Community Open Mic', quantity: 1 },
];

export async function seedDemoOrders(gatewayUrl: string): Promise<number> {
  const session = await demoSession(gatewayUrl, demoAccounts.attendee, 'attendee');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await session(method, path, body, headers);
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };
  let bought = 0;
  for (const purchase of purchases) {
    const found = await call('GET', `/api/events?q=${encodeURIComponent(purchase.title)}&limit=1`);
    const event = found.body?.items?.[0];
    if (!event) continue;
    const page = await call('GET', `/api/events/${event.id}`);
    const ticketType = page.body.ticketTypes[0];
    const items = [{ ticketTypeId: ticketType.id, quantity: purchase.quantity }];
    // order-service learns of the event from the bus: a moment after it was published.
    let hold = await call('POST', '/api/reservations', { eventId: event.id, items });
    for (let tries = 0; hold.status === 404 && tries < 40; tries++) {
      await sleep(250);
      hold = await call('POST', '/api/reservations', { eventId: event.id, items });
    }
    if (hold.status !== 201) throw new Error(`holding tickets for "${purchase.title}" answered ${hold.status}: ${JSON.stringify(hold.body)}`);
    const attendees = Array.from({ length: purchase.quantity }, (_, i) => ({ ticketTypeId: ticketType.id, name: i === 0 ? demoAccounts.attendee.name : `Guest of ${demoAccounts.attendee.name}`, email: demoAccounts.attendee.email }));
    const paid = await call('POST', `/api/reservations/${hold.body.id}/checkout`, { attendees, payment: { method: 'card', cardNumber: '4242 4242 4242 4242' } }, { 'idempotency-key': randomUUID() });
    if (paid.status !== 201) throw new Error(`checking out "${purchase.title}" answered ${paid.status}: ${JSON.stringify(paid.body)}`);
    bought += purchase.quantity;
  }
  return bought;
}
