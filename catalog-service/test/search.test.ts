import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { eventInput, organization } from './support/event-input.ts';
import { publishOnBus, startTestCatalogService, type TestCatalogService } from './support/catalog-service.ts';

let catalog: TestCatalogService;
const org = organization();
let token: string;
const year = new Date().getUTCFullYear() + 1;

interface Page {
  items: Array<{ id: string; title: string; city: string; category: string; startsAt: string; free: boolean; priceFromMinor: number; hasSales: boolean }>;
  nextCursor: string | null;
  sort: string;
  matched?: 'words' | 'similar';
  facets?: { categories: Array<{ slug: string; count: number }>; cities: Array<{ city: string; count: number }> };
}

const venues = {
  Amsterdam: { name: 'Paradiso', address: 'Weteringschans 6', city: 'Amsterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
  Berlin: { name: 'Tempodrom', address: 'Möckernstraße 10', city: 'Berlin', country: 'DE', timeZone: 'Europe/Berlin' },
  Lisbon: { name: 'Coliseu', address: 'R. das Portas de Santo Antão 96', city: 'Lisbon', country: 'PT', timeZone: 'Europe/Lisbon' },
  // Only the popular listing's events are here.
  Porto: { name: 'Casa da Música', address: 'Av. da Boavista 604', city: 'Porto', country: 'PT', timeZone: 'Europe/Lisbon' },
} as const;

async function publish(title: string, city: keyof typeof venues, category: string, day: number, price: number) {
  const create = await fetch(`${catalog.url}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(eventInput(org, { title, description: `${title}: see you there.`, tags: [category], category, venue: venues[city], startsAt: `${year}-05-${String(day).padStart(2, '0')}T20:00`, endsAt: `${year}-05-${String(day).padStart(2, '0')}T23:00`, ticketTypes: [{ name: 'Entry', priceMinor: price, capacity: 100 }] })),
  });
  expect(create.status, await create.clone().text()).toBe(201);
  const { id } = (await create.json()) as { id: string };
  const published = await fetch(`${catalog.url}/api/events/${id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(published.status).toBe(200);
  return id;
}

async function list(query: string): Promise<Page> {
  const response = await fetch(`${catalog.url}/api/events?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
}

beforeAll(async () => {
  // Facets counted and answers computed on every request, so they can be checked exactly.
  catalog = await startTestCatalogService({ CATALOG_FACETS_TTL_MS: '0', CATALOG_RESPONSE_CACHE_MS: '0' });
  token = await catalog.issuer.sign({ orgs: [{ id: org, role: 'owner' }] });
  await publish('Amsterdam Jazz Festival', 'Amsterdam', 'music', 1, 4500);
  await publish('Techno Warehouse Sessions', 'Berlin', 'nightlife', 2, 2500);
  await publish('Stand-up Comedy Showcase', 'Amsterdam', 'comedy', 3, 1500);
  await publish('Fado by Candlelight', 'Lisbon', 'music', 4, 0);
  await publish('Free Jazz in the Park', 'Berlin', 'music', 5, 0);
  await publish('Improv Comedy Jam', 'Berlin', 'comedy', 6, 1000);
});

afterAll(async () => {
  await catalog?.stop();
});

describe('search', () => {
  it('finds events by words in their title, ranked, with facet counts for the query', async () => {
    const page = await list('q=jazz');
    expect(page.sort).toBe('relevance');
    // Words that match stay exact: no near spelling ("Jam") joins them.
    expect(page.items.map((e) => e.title).sort()).toEqual(['Amsterdam Jazz Festival', 'Free Jazz in the Park']);
    expect(page.matched).toBe('words');
    const music = page.facets?.categories.find((c) => c.slug === 'music');
    expect(music?.count).toBe(2);
    expect(page.facets?.categories.reduce((sum, c) => sum + c.count, 0)).toBe(page.items.length);
  });

  it.each([
    ['jaz festvial', 'Amsterdam Jazz Festival'],
    ['comdey showcase', 'Stand-up Comedy Showcase'],
    ['techno warehose', 'Techno Warehouse Sessions'],
    ['candlelite', 'Fado by Candlelight'],
  ])('still finds what a misspelled query means (%s)', async (q, title) => {
    const page = await list(`q=${encodeURIComponent(q)}`);
    expect(page.matched).toBe('similar');
    expect(page.items.map((e) => e.title)).toContain(title);
    expect(page.items[0]!.title).toBe(title);
  });

  it('combines filters', async () => {
    expect((await list('city=Berlin&category=comedy')).items.map((e) => e.title)).toEqual(['Improv Comedy Jam']);
    expect((await list('free=true')).items.map((e) => e.title)).toEqual(['Fado by Candlelight', 'Free Jazz in the Park']);
    expect((await list('category=music&city=Berlin&free=true')).items.map((e) => e.title)).toEqual(['Free Jazz in the Park']);
    expect((await list('minPrice=1000&maxPrice=2500')).items.map((e) => e.title)).toEqual(['Techno Warehouse Sessions', 'Stand-up Comedy Showcase', 'Improv Comedy Jam']);
    expect((await list(`from=${year}-05-03&to=${year}-05-04`)).items.map((e) => e.title)).toEqual(['Stand-up Comedy Showcase', 'Fado by Candlelight']);
    expect((await list(`organization=${organization()}`)).items).toEqual([]);
    const facets = (await list('city=Amsterdam')).facets!;
    expect(facets.categories.map((c) => [c.slug, c.count]).sort()).toEqual([['comedy', 1], ['music', 1]]);
  });

  it('pages by cursor without skipping or repeating a row while events are inserted between pages', async () => {
    const before = (await list('limit=100')).items.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let inserted = 0;
    do {
      const page: Page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      // One event sorting before everything served so far, one after.
      if (cursor && inserted < 4) {
        await publish(`Early bird ${inserted}`, 'Lisbon', 'community', 1, 0);
        await publish(`Late show ${inserted}`, 'Lisbon', 'community', 28, 0);
        inserted += 2;
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    // Those inserted after the pages already served were served too, in order.
    const starts = await list('limit=100');
    expect(seen.filter((id) => starts.items.some((e) => e.id === id && e.startsAt.includes('-05-28')))).toHaveLength(2);
  });

  it('answers a repeated request with 304 from its ETag, and says how long it may be cached', async () => {
    const first = await fetch(`${catalog.url}/api/events?city=Lisbon`);
    expect(first.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // fetch() adds "Cache-Control: no-cache" to a conditional request unless one is given (a forced reload).
    const again = await fetch(`${catalog.url}/api/events?city=Lisbon`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('treats SQL-looking search text as text', async () => {
    for (const q of ["jazz'; drop table catalog.events; --", "jazz' or '1'='1", 'jazz) | !(', '\\x00 & | ! <-> :*']) {
      const page = await list(`q=${encodeURIComponent(q)}`);
      expect(page.items.every((e) => e.title.length > 0)).toBe(true);
    }
    expect((await list("q=jazz' or '1'='1")).items.map((e) => e.title)).toContain('Amsterdam Jazz Festival');
    expect((await list('limit=100')).items.length).toBeGreaterThan(6);
  });
});

describe('popular events (sort=popular)', () => {
  /** Reports `sold` for the event's only ticket type, as order-service would; resolves once handled. */
  async function sell(sales: Array<[eventId: string, sold: number, version?: number]>) {
    const handled = () => catalog.logs.filter((l) => l.msg === 'message handled' && l.type === 'order.inventory.changed.v1').length;
    const before = handled();
    for (const [eventId, sold, version = 1] of sales) {
      const event = (await (await fetch(`${catalog.url}/api/events/${eventId}`)).json()) as { ticketTypes: Array<{ id: string }> };
      const ticketTypeId = event.ticketTypes[0]!.id;
      await publishOnBus(catalog.amqpUrl, catalog.prefix, { id: randomUUID(), type: 'order.inventory.changed.v1', source: 'order-service', time: new Date().toISOString(), subject: ticketTypeId, version, data: { ticketTypeId, eventId, capacity: 100, held: 0, sold, available: 100 - sold } });
    }
    await waitFor('the sales reported', () => handled() >= before + sales.length);
  }

  /** Every page of `query`, `limit` at a time. */
  async function allPages(query: string, limit: number) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const [title, day] of [['Porto Headliner', 20], ['Porto Runner-up', 22], ['Porto Tie A', 23], ['Porto Tie B', 24], ['Porto Tie C', 25], ['Porto Quiet 1', 21], ['Porto Quiet 2', 26]] as const) {
      ids[title] = await publish(title, 'Porto', 'music', day, 2000);
    }
    // The runner-up's second report is newer; the headliner's older report (more sold, but older) changes nothing.
    await sell([[ids['Porto Headliner']!, 80, 2], [ids['Porto Runner-up']!, 5, 1], [ids['Porto Tie A']!, 12], [ids['Porto Tie B']!, 12], [ids['Porto Tie C']!, 12]]);
    await sell([[ids['Porto Runner-up']!, 40, 2], [ids['Porto Headliner']!, 95, 1]]);
  });

  it('lists the best-selling upcoming events first, ties by id, those with no sale last', async () => {
    const page = await list('city=Porto&sort=popular&limit=100');
    expect(page.sort).toBe('popular');
    const byId = (titles: string[]) => titles.map((t) => ids[t]!).sort().reverse();
    expect(page.items.map((e) => e.id)).toEqual([ids['Porto Headliner'], ids['Porto Runner-up'], ...byId(['Porto Tie A', 'Porto Tie B', 'Porto Tie C']), ...byId(['Porto Quiet 1', 'Porto Quiet 2'])]);
    // Whether anything sold is shown; how much is not.
    expect(page.items.map((e) => e.hasSales)).toEqual([true, true, true, true, true, false, false]);
    expect(Object.keys(page.items[0]!)).not.toContain('ticketsSold');
    // Events of other cities are among them without the filter; the headliner leads them all.
    expect((await list('sort=popular&limit=3')).items[0]!.id).toBe(ids['Porto Headliner']);
  });

  it('pages by cursor across ties without repeating or skipping an event', async () => {
    const expected = (await list('city=Porto&sort=popular&limit=100')).items.map((e) => e.id);
    for (const limit of [1, 2, 3, 4]) {
      const pages = await allPages('city=Porto&sort=popular', limit);
      expect(pages.flatMap((p) => p.items.map((e) => e.id)), `limit=${limit}`).toEqual(expected);
      expect(pages.at(-1)!.nextCursor).toBeNull();
      expect(pages.every((p, i) => p.items.length === limit || i === pages.length - 1)).toBe(true);
    }
    // The whole catalog too (every event without a sale is one tie).
    const everything = (await list('sort=popular&limit=100')).items.map((e) => e.id);
    const paged = (await allPages('sort=popular', 3)).flatMap((p) => p.items.map((e) => e.id));
    expect(paged).toEqual(everything);
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('keeps its place when sales move events between pages', async () => {
    const first = await list('city=Porto&sort=popular&limit=3');
    expect(first.items.map((e) => e.id)).toEqual([ids['Porto Headliner'], ids['Porto Runner-up'], first.items[2]!.id]);
    // A quiet event now outsells everything: it was not served yet, and now sorts before the cursor.
    await sell([[ids['Porto Quiet 1']!, 99, 2]]);
    const rest = (await allPages(`city=Porto&sort=popular&cursor=${first.nextCursor}`, 3)).flatMap((p) => p.items.map((e) => e.id));
    const served = [...first.items.map((e) => e.id), ...rest];
    expect(new Set(served).size).toBe(served.length);
    // Everything after the cursor's position is still served, in order.
    expect(rest).toEqual((await list('city=Porto&sort=popular&limit=100')).items.map((e) => e.id).slice(4));
  });
});

describe('malformed queries', () => {
  const anotherCursor = async () => (await list('limit=1&city=Berlin')).nextCursor!;
  /** A real cursor of `query` with its sort key replaced: what a client forging one would send. */
  const forged = async (query: string, key: unknown) => {
    const fields = JSON.parse(Buffer.from((await list(query)).nextCursor!, 'base64url').toString()) as unknown[];
    fields[1] = key;
    return `${query}&cursor=${Buffer.from(JSON.stringify(fields)).toString('base64url')}`;
  };
  it.each([
    ['a cursor that is not one', () => 'cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ['a cursor of another search', async () => `cursor=${await anotherCursor()}`, 'query.cursor'],
    ['a limit of 10^9', () => 'limit=1000000000', 'query.limit'],
    ['a limit that is not a number', () => 'limit=1;drop%20table%20events', 'query.limit'],
    ['an unknown sort', () => 'sort=cheapest', 'query.sort'],
    ['relevance without text', () => 'sort=relevance', 'query.sort'],
    ['an unknown category', () => 'category=knitting', 'query.category'],
    ['a price that is not a number', () => "minPrice=1'%20or%20'1'='1", 'query.minPrice'],
    ['a huge q', () => `q=${'a'.repeat(5_000)}`, 'query.q'],
    ['an unknown parameter', () => 'colour=red', 'query'],
    ['a date that is not one', () => 'from=tomorrow', 'query.from'],
    ['a range that ends before it starts', () => `from=${year}-05-10&to=${year}-05-01`, 'query.to'],
    ['a parameter given twice', () => 'city=Berlin&city=Lisbon', 'query.city'],
    ['a NUL character in the search text', () => 'q=jazz%00', 'query.q'],
    ['a forged cursor with a huge score', () => forged('q=comedy&limit=1', 1e300), 'query.cursor'],
    ['a forged cursor with a tiny score', () => forged('q=comedy&limit=1', -1e-300), 'query.cursor'],
    ['a forged cursor with month 13', () => forged('limit=1', '2027-13-45 99:99:99+00'), 'query.cursor'],
    ['a forged cursor in year 0', () => forged('limit=1', '0000-01-01 00:00:00+00'), 'query.cursor'],
    ['a forged cursor on 30 February', () => forged('limit=1', '2027-02-30 10:00:00+00'), 'query.cursor'],
    ['a date range past the year 2100', () => 'to=9999-12-31', 'query.to'],
    ['a forged popular cursor with a negative count', () => forged('sort=popular&limit=1', -1), 'query.cursor'],
    ['a forged popular cursor with a fraction', () => forged('sort=popular&limit=1', 1.5), 'query.cursor'],
    ['a forged popular cursor with text', () => forged('sort=popular&limit=1', '12'), 'query.cursor'],
    ['a forged popular cursor past the integers', () => forged('sort=popular&limit=1', 2 ** 31), 'query.cursor'],
    ['a forged popular cursor with a timestamp', () => forged('sort=popular&limit=1', '2027-02-03 10:00:00+00'), 'query.cursor'],
    ['a cursor of another sort', async () => `sort=popular&cursor=${(await list('limit=1')).nextCursor!}`, 'query.cursor'],
    ['a price in hexadecimal', () => 'minPrice=0x10', 'query.minPrice'],
    ['a limit in exponent notation', () => 'limit=1e2', 'query.limit'],
    ['an empty price', () => 'maxPrice=', 'query.maxPrice'],
  ])('answers %s with 400 naming the parameter', async (_name, query, field) => {
    const response = await fetch(`${catalog.url}/api/events?${await query()}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { detail: string; errors: Array<{ name: string; reason: string }> };
    expect(problem.errors.map((e) => e.name)).toContain(field);
    expect(problem.errors.every((e) => e.reason.length > 0)).toBe(true);
  });

  it('answers an event key that cannot be one with 400, and an unknown one with 404', async () => {
    expect((await fetch(`${catalog.url}/api/events/${encodeURIComponent("1' or '1'='1")}`)).status).toBe(400);
    expect((await fetch(`${catalog.url}/api/events/no-such-event-aaaaaa`)).status).toBe(404);
  });
});
