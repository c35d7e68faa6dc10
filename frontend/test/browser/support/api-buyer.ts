/**
 * A buyer who is not the subject of the test: signs up and pays in one go
 * through the gateway (the test provider's direct mode), for tests that need a
 * ticket to exist rather than to watch it being bought.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

async function call<T>(method: string, path: string, cookie: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; cookie?: string }> {
  const response = await fetch(`${inject('gatewayUrl')}${path}`, {
    method,
    headers: { origin: inject('siteUrl'), 'content-type': 'application/json', ...(cookie && { cookie }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const session = response.headers.getSetCookie().find((c) => c.includes('session_token='))?.split(';')[0];
  return { status: response.status, body: (await response.json()) as T, cookie: session };
}

export async function buyDirectly(eventId: string, quantity: number): Promise<{ orderId: string; codes: string[]; ticketIds: string[]; cookie: string }> {
  const email = `door-${randomUUID().slice(0, 8)}@example.com`;
  const signUp = await call('POST', '/api/auth/sign-up/email', undefined, { name: 'Dora Door', email, password: 'a-long-enough-password' });
  if (signUp.status !== 200 || !signUp.cookie) throw new Error(`sign-up answered ${signUp.status}`);
  const event = (await call<{ ticketTypes: { id: string }[] }>('GET', `/api/events/${eventId}`, signUp.cookie)).body;
  const ticketTypeId = event.ticketTypes[0]!.id;
  const hold = await call<{ id: string }>('POST', '/api/reservations', signUp.cookie, { eventId, items: [{ ticketTypeId, quantity }] }, { 'idempotency-key': randomUUID() });
  if (hold.status !== 201) throw new Error(`hold answered ${hold.status}`);
  const attendees = Array.from({ length: quantity }, (_, i) => ({ ticketTypeId, name: `Dora ${i + 1}`, email }));
  const order = await call<{ id: string; status: string; tickets: { id: string; code: string }[] }>('POST', `/api/reservations/${hold.body.id}/checkout`, signUp.cookie, { attendees, payment: { method: 'card', cardNumber: '4242 4242 4242 4242' } }, { 'idempotency-key': randomUUID() });
  if (order.status !== 201 || order.body.status !== 'paid') throw new Error(`checkout answered ${order.status} (${order.body.status})`);
  return { orderId: order.body.id, codes: order.body.tickets.map((t) => t.code), ticketIds: order.body.tickets.map((t) => t.id), cookie: signUp.cookie };
}

/** The ticket's QR code as its buyer gets it (SVG). */
export async function ticketQrSvg(ticketId: string, cookie: string): Promise<string> {
  const response = await fetch(`${inject('gatewayUrl')}/api/tickets/${ticketId}/qr.svg`, { headers: { cookie } });
  if (!response.ok) throw new Error(`qr.svg answered ${response.status}`);
  return response.text();
}
