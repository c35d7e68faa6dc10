import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@twenny/testing';
import { eventInput, organization } from './support/event-input.ts';
import { publishOnBus, startTestCatalogService, type TestCatalogService } from './support/catalog-service.ts';

let catalog: TestCatalogService;
const org = organization();
let token: string;
const cacheMs = 1_500;

beforeAll(async () => {
  catalog = await startTestCatalogService({ CATALOG_RESPONSE_CACHE_MS: String(cacheMs), CATALOG_FACETS_TTL_MS: '300' });
  token = await catalog.issuer.sign({ orgs: [{ id: org, role: 'owner' }] });
});

afterAll(async () => {
  await catalog?.stop();
});

describe('the public response cache', () => {
  it('serves a repeated listing from memory, and a new answer once it is older than its limit', async () => {
    const first = await fetch(`${catalog.url}/api/events?city=Amsterdam`);
    expect(first.headers.get('x-cache')).toBe('miss');
    const second = await fetch(`${catalog.url}/api/events?city=Amsterdam`);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(await second.text()).toBe(await first.text());
    const conditional = await fetch(`${catalog.url}/api/events?city=Amsterdam`, { headers: { 'if-none-match': second.headers.get('etag')!, 'cache-control': 'max-age=0' } });
    expect(conditional.status).toBe(304);
    await new Promise((resolve) => setTimeout(resolve, cacheMs + 200));
    expect((await fetch(`${catalog.url}/api/events?city=Amsterdam`)).headers.get('x-cache')).toBe('miss');
  });

  it('shows new availability within its limit, and never caches what an organiser sees', async () => {
    const created = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(eventInput(org)) });
    const event = (await created.json()) as { id: string; ticketTypes: Array<{ id: string }> };
    await fetch(`${catalog.url}/api/events/${event.id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const standing = event.ticketTypes[0]!.id;
    const available = async () => ((await (await fetch(`${catalog.url}/api/events/${event.id}`)).json()) as { ticketTypes: Array<{ id: string; available: number }> }).ticketTypes.find((t) => t.id === standing)!.available;
    expect(await available()).toBe(300);
    await publishOnBus(catalog.amqpUrl, catalog.prefix, { id: randomUUID(), type: 'order.inventory.changed.v1', source: 'order-service', time: new Date().toISOString(), subject: standing, version: 1, data: { ticketTypeId: standing, eventId: event.id, capacity: 300, held: 0, sold: 42, available: 258 } });
    await waitFor('the new number', async () => (await available()) === 258, { timeoutMs: 10_000, intervalMs: 100 });
    const asOrganiser = await fetch(`${catalog.url}/api/events/${event.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(asOrganiser.headers.get('x-cache')).toBeNull();
    expect(asOrganiser.headers.get('cache-control')).toMatch(/private/);
  });
});

describe('facet counts of broad listings', () => {
  it('come from the whole-catalog summary, at most its TTL old, and equal an exact count', async () => {
    for (const [city, category] of [['Amsterdam', 'music'], ['Berlin', 'comedy'], ['Berlin', 'music']] as const) {
      const venue = { name: `${city} Hall`, address: 'Main street 1', city, country: city === 'Berlin' ? 'DE' : 'NL', timeZone: 'Europe/Berlin' };
      const created = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(eventInput(org, { category, venue })) });
      const { id } = (await created.json()) as { id: string };
      await fetch(`${catalog.url}/api/events/${id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    }
    type Facets = { categories: Array<{ slug: string; count: number }>; cities: Array<{ city: string; count: number }> };
    let attempt = 0;
    const facets = async (query: string) => ((await (await fetch(`${catalog.url}/api/events?${query}&limit=${1 + (attempt++ % 50)}`)).json()) as { facets: Facets }).facets;
    // free=false filters nothing but is not a city or category filter: counted exactly.
    for (const scope of ['', 'city=Berlin', 'category=music']) {
      await waitFor(`summary facets for "${scope}" to match the exact count`, async () => JSON.stringify(await facets(scope)) === JSON.stringify(await facets(`${scope}&free=false`)), { timeoutMs: 10_000, intervalMs: 200 });
    }
    const berlin = await facets('city=Berlin');
    expect(berlin.categories.map((c) => [c.slug, c.count]).sort()).toEqual([['comedy', 1], ['music', 1]]);
  });
});
