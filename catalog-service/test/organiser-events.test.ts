import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import type { DbExecutor } from '@twenny/messaging';
import { endPastEvents } from '../src/use-cases/end-past-events.ts';
import { eventInput, organization } from './support/event-input.ts';
import { listenOnBus, startTestCatalogService, type TestCatalogService } from './support/catalog-service.ts';

let catalog: TestCatalogService;
let bus: Awaited<ReturnType<typeof listenOnBus>>;
const org = organization();
const otherOrg = organization();
let owner: string;
let member: string;
let outsider: string;

beforeAll(async () => {
  catalog = await startTestCatalogService();
  bus = await listenOnBus(catalog.amqpUrl, catalog.prefix, 'catalog.event.#');
  owner = await catalog.issuer.sign({ orgs: [{ id: org, role: 'owner' }] });
  member = await catalog.issuer.sign({ orgs: [{ id: org, role: 'member' }] });
  outsider = await catalog.issuer.sign({ orgs: [{ id: otherOrg, role: 'owner' }] });
});

afterAll(async () => {
  await bus?.close();
  await catalog?.stop();
});

function call(method: string, path: string, token: string | undefined, body?: unknown) {
  return fetch(`${catalog.url}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function created(token = owner, overrides: Record<string, unknown> = {}) {
  const response = await call('POST', '/api/events', token, eventInput(org, overrides));
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string; slug: string; status: string; ticketTypes: Array<{ id: string; name: string }>; startsAt: string; startsAtLocal: string; version: number };
}

describe('an organiser', () => {
  it('creates a draft in the venue\'s time zone, nobody else sees it, and nothing goes on the bus', async () => {
    const event = await created();
    expect(event.status).toBe('draft');
    // 20:00 in Amsterdam in March (CET, UTC+1) is 19:00 UTC.
    expect(event.startsAt).toMatch(/T19:00:00.000Z$/);
    expect(event.startsAtLocal).toMatch(/T20:00$/);
    expect(event.slug).toMatch(/^amsterdam-jazz-night-[0-9a-f]{12}$/);
    expect((await call('GET', `/api/events/${event.id}`, undefined)).status).toBe(404);
    expect((await call('GET', `/api/events/${event.slug}`, outsider)).status).toBe(404);
    expect((await call('GET', `/api/events/${event.slug}`, owner)).status).toBe(200);
  });

  it('publishes, edits, unpublishes and cancels; each change goes on the bus once, with increasing versions', async () => {
    const event = await created();
    const steps: Array<[string, string, unknown, string]> = [
      ['POST', `/api/events/${event.id}/publish`, undefined, 'catalog.event.published.v1'],
      ['PATCH', `/api/events/${event.id}`, { title: 'Amsterdam Jazz Night II' }, 'catalog.event.updated.v1'],
      ['POST', `/api/events/${event.id}/ticket-types`, { name: 'VIP', priceMinor: 9900, capacity: 20 }, 'catalog.event.updated.v1'],
      ['PATCH', `/api/events/${event.id}/ticket-types/${event.ticketTypes[1]!.id}`, { hidden: true }, 'catalog.event.updated.v1'],
      ['POST', `/api/events/${event.id}/unpublish`, undefined, 'catalog.event.unpublished.v1'],
      ['POST', `/api/events/${event.id}/publish`, undefined, 'catalog.event.published.v1'],
      ['POST', `/api/events/${event.id}/cancel`, undefined, 'catalog.event.cancelled.v1'],
    ];
    for (const [method, path, body] of steps) {
      const response = await call(method, path, owner, body);
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
    }
    const about = () => bus.received.filter((m) => m.subject === event.id);
    await waitFor('every change on the bus', () => about().length >= steps.length);
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more arrives
    const messages = about();
    expect(messages.map((m) => m.type)).toEqual(steps.map((s) => s[3]));
    const versions = messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const last = messages.at(-1)!.data as { status: string; organizationId: string; currency: string; refundableUntilHours: number; ticketTypes: Array<{ name: string; hidden: boolean }> };
    expect(last).toMatchObject({ status: 'cancelled', organizationId: org, currency: 'EUR', refundableUntilHours: 48 });
    expect(last.ticketTypes.map((t) => [t.name, t.hidden])).toEqual([['Standing', false], ['Balcony', true], ['VIP', false]]);
    // The public page hides the hidden ticket type and shows the cancellation.
    const page = (await (await call('GET', `/api/events/${event.id}`, undefined)).json()) as { status: string; title: string; ticketTypes: Array<{ name: string }> };
    expect(page).toMatchObject({ status: 'cancelled', title: 'Amsterdam Jazz Night II' });
    expect(page.ticketTypes.map((t) => t.name)).toEqual(['Standing', 'VIP']);
    // A cancelled event is final.
    expect((await call('PATCH', `/api/events/${event.id}`, owner, { title: 'Back again' })).status).toBe(409);
    expect((await call('POST', `/api/events/${event.id}/publish`, owner)).status).toBe(409);
  });

  it('deletes a draft that never sold; deletion is announced; a published event cannot be deleted', async () => {
    const draft = await created();
    expect((await call('DELETE', `/api/events/${draft.id}`, owner)).status).toBe(204);
    expect((await call('GET', `/api/events/${draft.id}`, owner)).status).toBe(404);
    await waitFor('the deletion on the bus', () => bus.received.some((m) => m.subject === draft.id && m.type === 'catalog.event.deleted.v1'));
    const live = await created();
    await call('POST', `/api/events/${live.id}/publish`, owner);
    const refused = await call('DELETE', `/api/events/${live.id}`, owner);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/only drafts/i);
  });

  it('lists its own events, drafts included, with sold and held counts', async () => {
    const event = await created(owner, { title: 'Listed draft' });
    const response = await call('GET', `/api/organizations/${org}/events?limit=100`, owner);
    expect(response.status).toBe(200);
    const list = (await response.json()) as { items: Array<{ id: string; status: string; sold: number; held: number; capacity: number }> };
    expect(list.items.find((e) => e.id === event.id), JSON.stringify(list.items.find((e) => e.id === event.id))).toMatchObject({ status: 'draft', sold: 0, held: 0, capacity: 380 });
    expect((await call('GET', `/api/organizations/${org}/events`, outsider)).status).toBe(403);
  });
});

describe("a member (not owner or admin) of the event's organisation", () => {
  it('runs the event but may not cancel it, which would refund every paid order', async () => {
    const event = await created(member);
    for (const step of ['publish', 'unpublish', 'publish']) expect((await call('POST', `/api/events/${event.id}/${step}`, member)).status, step).toBe(200);
    const refused = await call('POST', `/api/events/${event.id}/cancel`, member);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('Only owners and admins');
    expect(((await (await call('GET', `/api/events/${event.id}`, member)).json()) as { status: string }).status).toBe('published');
    expect((await call('POST', `/api/events/${event.id}/cancel`, owner)).status).toBe(200);
  });
});

describe("another organisation's member", () => {
  it('gets 403 on every change to the event', async () => {
    const event = await created();
    const typeId = event.ticketTypes[0]!.id;
    const attempts: Array<[string, string, unknown?]> = [
      ['PATCH', `/api/events/${event.id}`, { title: 'Mine now' }],
      ['POST', `/api/events/${event.id}/publish`],
      ['POST', `/api/events/${event.id}/unpublish`],
      ['POST', `/api/events/${event.id}/cancel`],
      ['DELETE', `/api/events/${event.id}`],
      ['POST', `/api/events/${event.id}/ticket-types`, { name: 'Free for me', priceMinor: 0, capacity: 10 }],
      ['PATCH', `/api/events/${event.id}/ticket-types/${typeId}`, { priceMinor: 1 }],
      ['DELETE', `/api/events/${event.id}/ticket-types/${typeId}`],
    ];
    for (const [method, path, body] of attempts) expect((await call(method, path, outsider, body)).status, `${method} ${path}`).toBe(403);
    // Nor may anyone create an event for an organisation they are not in.
    expect((await call('POST', '/api/events', outsider, eventInput(org))).status).toBe(403);
    const unchanged = (await (await call('GET', `/api/events/${event.id}`, owner)).json()) as { title: string; status: string; version: number };
    expect(unchanged).toMatchObject({ title: 'Amsterdam Jazz Night', status: 'draft', version: event.version });
  });

  it('is refused without a token (401), with a forged one (401)', async () => {
    expect((await call('POST', '/api/events', undefined, eventInput(org))).status).toBe(401);
    const forged = await (await (await import('@twenny/testing')).createTestIssuer()).sign({ orgs: [{ id: org, role: 'owner' }] });
    expect((await call('POST', '/api/events', forged, eventInput(org))).status).toBe(401);
  });
});

describe('rules', () => {
  it.each([
    ['an end before the start', { endsAt: '2020-01-01T10:00' }, 422, 'body.endsAt'],
    ['a date that does not exist', { startsAt: `${new Date().getUTCFullYear() + 1}-02-30T20:00` }, 422, 'body.startsAt'],
    ['an unknown currency', { currency: 'XYZ' }, 400, 'body.currency'],
    ['zero capacity', { ticketTypes: [{ name: 'None', priceMinor: 100, capacity: 0 }] }, 400, 'body.ticketTypes[0].capacity'],
    ['a negative price', { ticketTypes: [{ name: 'Paid to come', priceMinor: -1, capacity: 5 }] }, 400, 'body.ticketTypes[0].priceMinor'],
    ['sales ending after the event', { ticketTypes: [{ name: 'Late', priceMinor: 100, capacity: 5, salesEndAt: `${new Date().getUTCFullYear() + 2}-01-01T00:00` }] }, 422, 'body.ticketTypes[0].salesEndAt'],
    ['a sales window that ends before it starts', { ticketTypes: [{ name: 'Odd', priceMinor: 100, capacity: 5, salesStartAt: `${new Date().getUTCFullYear() + 1}-03-01T10:00`, salesEndAt: `${new Date().getUTCFullYear() + 1}-02-01T10:00` }] }, 422, 'body.ticketTypes[0].salesEndAt'],
    ['an unknown time zone', { venue: { name: 'X', address: 'Y', city: 'Z', country: 'NL', timeZone: 'Mars/Olympus' } }, 400, 'body.venue.timeZone'],
    ['an unknown category', { category: 'knitting' }, 400, 'body.category'],
    ['an unknown field', { price: 10 }, 400, 'body'],
    ['a NUL character in the title', { title: 'Jazz\u0000Night' }, 400, 'body.title'],
    ['a year no event is in', { startsAt: '9999-12-31T20:00', endsAt: '9999-12-31T23:00' }, 400, 'body.startsAt'],
    ['year zero', { startsAt: '0000-01-01T10:00:00Z' }, 400, 'body.startsAt'],
    ['a minute that does not exist', { startsAt: `${new Date().getUTCFullYear() + 1}-03-12T20:60` }, 422, 'body.startsAt'],
  ])('refuses %s, naming the field', async (_name, overrides, status, field) => {
    const response = await call('POST', '/api/events', owner, eventInput(org, overrides));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { errors: Array<{ name: string; reason: string }> };
    expect(problem.errors.map((e) => e.name)).toContain(field);
  });

  it('keeps a published event on sale: one visible ticket type, an end not in the past', async () => {
    const event = await created(owner, { ticketTypes: [{ name: 'Only', priceMinor: 1000, capacity: 10 }] });
    await call('POST', `/api/events/${event.id}/publish`, owner);
    expect((await call('PATCH', `/api/events/${event.id}/ticket-types/${event.ticketTypes[0]!.id}`, owner, { hidden: true })).status).toBe(409);
    const moved = await call('PATCH', `/api/events/${event.id}`, owner, { startsAt: '2020-01-01T10:00', endsAt: '2020-01-01T12:00' });
    expect(moved.status).toBe(422);
    expect(((await moved.json()) as { errors: Array<{ name: string }> }).errors.map((e) => e.name)).toContain('body.endsAt');
  });

  it('will not publish an event without a visible ticket type', async () => {
    const event = await created(owner, { ticketTypes: [{ name: 'Secret', priceMinor: 0, capacity: 10, hidden: true }] });
    const response = await call('POST', `/api/events/${event.id}/publish`, owner);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/at least one ticket type/i);
  });

  it.each([
    ['malformed JSON', '{"title": '],
    ['a huge body', JSON.stringify({ ...eventInput(organization()), description: 'x'.repeat(200_000) })],
    ['hostile text', JSON.stringify(eventInput(organization(), { title: "'; drop table catalog.events; --" }))],
  ])('answers %s with a 4xx problem, never a 500', async (_name, body) => {
    const response = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('events past their end', () => {
  it('are marked ended by the sweep, announced, and leave the listing', async () => {
    const startsAt = new Date(Date.now() + 60_000);
    const event = await created(owner, { title: 'Short sunset concert', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString() });
    expect((await call('POST', `/api/events/${event.id}/publish`, owner)).status).toBe(200);
    // As the sweep would see it two hours later.
    const ended = await endPastEvents(catalog.service.database.db as unknown as DbExecutor, new Date(startsAt.getTime() + 2 * 3_600_000));
    expect(ended).toBeGreaterThanOrEqual(1);
    const page = (await (await call('GET', `/api/events/${event.id}`, undefined)).json()) as { status: string };
    expect(page.status).toBe('ended');
    await waitFor('the ended event on the bus', () => bus.received.some((m) => m.subject === event.id && m.type === 'catalog.event.updated.v1' && (m.data as { status: string }).status === 'ended'));
    expect(await endPastEvents(catalog.service.database.db as unknown as DbExecutor, new Date(startsAt.getTime() + 2 * 3_600_000))).toBe(0);
  });
});
