/**
 * What `q` matches beyond the title: tags, the city and the venue's name (stemmed
 * as the query is), and the description; and how those matches rank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventInput, organization } from './support/event-input.ts';
import { startTestCatalogService, type TestCatalogService } from './support/catalog-service.ts';

let catalog: TestCatalogService;
const org = organization();
let token: string;
const year = new Date().getUTCFullYear() + 1;

interface Page {
  items: Array<{ id: string; title: string; venueName: string; city: string }>;
  matched?: 'words' | 'similar';
}

const venues = {
  melkweg: { name: 'Melkweg', address: 'Lijnbaansgracht 234A', city: 'Amsterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
  paradiso: { name: 'Paradiso', address: 'Weteringschans 6', city: 'Amsterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
  cigale: { name: 'La Cigale', address: '120 Boulevard de Rochechouart', city: 'Paris', country: 'FR', timeZone: 'Europe/Paris' },
  tivoli: { name: 'TivoliVredenburg', address: 'Vredenburgkade 11', city: 'Utrecht', country: 'NL', timeZone: 'Europe/Amsterdam' },
  harbourClub: { name: 'Harbour Club', address: 'Kop van Zuid 1', city: 'Rotterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
  maassilo: { name: 'Maassilo', address: 'Maashaven 1', city: 'Rotterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
};

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/** Creates and publishes an event at a new venue, or (`venueId`) at one of the organisation's; returns both ids. */
async function publish(fields: { title: string; description: string; tags: string[]; venue?: (typeof venues)[keyof typeof venues]; venueId?: string }, day: number): Promise<{ id: string; venueId: string }> {
  const { venue, venueId, ...rest } = fields;
  const input = eventInput(org, { ...rest, ...(venueId ? { venueId, venue: undefined } : { venue }), startsAt: `${year}-06-${String(day).padStart(2, '0')}T20:00`, endsAt: `${year}-06-${String(day).padStart(2, '0')}T23:00` });
  const created = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: headers(), body: JSON.stringify(input) });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id, venue: made } = (await created.json()) as { id: string; venue: { id: string } };
  const published = await fetch(`${catalog.url}/api/events/${id}/publish`, { method: 'POST', headers: headers() });
  expect(published.status, await published.clone().text()).toBe(200);
  return { id, venueId: made.id };
}

async function search(q: string): Promise<Page> {
  const response = await fetch(`${catalog.url}/api/events?q=${encodeURIComponent(q)}&limit=100`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
}

/** Titles that the words of `q` match, best first (what the misspelling fallback finds does not count). */
async function found(q: string): Promise<string[]> {
  const page = await search(q);
  return page.matched === 'words' ? page.items.map((e) => e.title) : [];
}

let chanson: string;

beforeAll(async () => {
  catalog = await startTestCatalogService({ CATALOG_FACETS_TTL_MS: '0', CATALOG_RESPONSE_CACHE_MS: '0' });
  token = await catalog.issuer.sign({ orgs: [{ id: org, role: 'owner' }] });
  const moonlight = await publish({ title: 'Moonlight Sessions', description: 'Three bands, one long night.', tags: ['indie', 'guitar'], venue: venues.melkweg }, 1);
  // At a venue the organisation already has: its name is copied from that venue.
  await publish({ title: 'Second Night Out', description: 'Again.', tags: [], venueId: moonlight.venueId }, 8);
  await publish({ title: 'Late Night Laughs', description: 'Five comedians, ten minutes each.', tags: ['comedy'], venue: venues.paradiso }, 2);
  ({ id: chanson } = await publish({ title: 'Chanson Evening', description: 'Songs of the left bank.', tags: ['chanson'], venue: venues.cigale }, 3));
  // No tags at all: the rest of the search column still works.
  await publish({ title: 'Quiet Reading Hour', description: 'Bring a book and a blanket.', tags: [], venue: venues.tivoli }, 4);
  // The same word in the title (weight A), the venue's name (B) and the description (C).
  await publish({ title: 'Harbour Lights Festival', description: 'Lanterns on the water.', tags: ['lights'], venue: venues.maassilo }, 5);
  await publish({ title: 'Dockside Brass Band', description: 'Brass and drums.', tags: ['brass'], venue: venues.harbourClub }, 6);
  await publish({ title: 'Sea Shanty Singalong', description: 'Sung down by the harbour at dusk.', tags: ['folk'], venue: venues.maassilo }, 7);
});

afterAll(async () => {
  await catalog?.stop();
});

describe('text search', () => {
  it('finds an event by a tag, stemmed as the query is', async () => {
    expect(await found('indie')).toEqual(['Moonlight Sessions']);
    // "comedy" stems to "comedi": the tag matches as it is written.
    expect(await found('comedy')).toEqual(['Late Night Laughs']);
    expect(await found('comedies')).toEqual(['Late Night Laughs']);
  });

  it('finds an event by its city', async () => {
    expect(await found('Paris')).toEqual(['Chanson Evening']);
    expect(await found('paris')).toEqual(['Chanson Evening']);
    expect((await found('Amsterdam')).sort()).toEqual(['Late Night Laughs', 'Moonlight Sessions', 'Second Night Out']);
  });

  it("finds an event by its venue's name", async () => {
    expect(await found('Paradiso')).toEqual(['Late Night Laughs']);
    expect((await found('Melkweg')).sort()).toEqual(['Moonlight Sessions', 'Second Night Out']);
    expect(await found('La Cigale')).toEqual(['Chanson Evening']);
    const page = await search('Paradiso');
    expect(page.items.map((e) => [e.venueName, e.city])).toEqual([['Paradiso', 'Amsterdam']]);
  });

  it('needs every word, whichever field each one is in', async () => {
    expect(await found('indie Amsterdam')).toEqual(['Moonlight Sessions']);
    expect(await found('comedy Paradiso')).toEqual(['Late Night Laughs']);
    expect(await found('indie Paris')).toEqual([]);
  });

  it('still finds events by words of the title and the description, with or without tags', async () => {
    expect(await found('reading')).toEqual(['Quiet Reading Hour']);
    expect(await found('blanket')).toEqual(['Quiet Reading Hour']);
    expect(await found('Utrecht')).toEqual(['Quiet Reading Hour']);
    expect(await found('TivoliVredenburg')).toEqual(['Quiet Reading Hour']);
    expect(await found('comedians')).toEqual(['Late Night Laughs']);
  });

  it('ranks a match in the title above one in the venue name, tags or city, and those above one in the description', async () => {
    expect(await found('harbour')).toEqual(['Harbour Lights Festival', 'Dockside Brass Band', 'Sea Shanty Singalong']);
    expect(await found('harbours')).toEqual(['Harbour Lights Festival', 'Dockside Brass Band', 'Sea Shanty Singalong']);
  });

  it('finds an event by the tags an edit gives it', async () => {
    expect(await found('shoegaze')).toEqual([]);
    const patched = await fetch(`${catalog.url}/api/events/${chanson}`, { method: 'PATCH', headers: headers(), body: JSON.stringify({ tags: ['shoegaze'] }) });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await found('shoegaze')).toEqual(['Chanson Evening']);
    // Still found by its city and venue after the edit.
    expect(await found('Paris')).toEqual(['Chanson Evening']);
    expect(await found('Cigale')).toEqual(['Chanson Evening']);
  });
});
