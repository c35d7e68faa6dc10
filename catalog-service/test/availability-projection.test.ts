import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { eventInput, organization } from './support/event-input.ts';
import { listenOnBus, publishOnBus, startTestCatalogService, type TestCatalogService } from './support/catalog-service.ts';

let catalog: TestCatalogService;
const org = organization();
let token: string;

beforeAll(async () => {
  catalog = await startTestCatalogService();
  token = await catalog.issuer.sign({ orgs: [{ id: org, role: 'owner' }] });
});

afterAll(async () => {
  await catalog?.stop();
});

async function publishedEvent() {
  const created = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(eventInput(org)) });
  const event = (await created.json()) as { id: string; ticketTypes: Array<{ id: string }> };
  await fetch(`${catalog.url}/api/events/${event.id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return event;
}

const inventory = (ticketTypeId: string, eventId: string, version: number, sold: number, held: number, capacity = 300, id = randomUUID()) => ({
  id,
  type: 'order.inventory.changed.v1',
  source: 'order-service',
  time: new Date().toISOString(),
  subject: ticketTypeId,
  version,
  data: { ticketTypeId, eventId, capacity, held, sold, available: capacity - sold - held },
});

async function ticketTypes(eventId: string) {
  const page = (await (await fetch(`${catalog.url}/api/events/${eventId}`)).json()) as { ticketTypes: Array<{ id: string; available: number }> };
  return page.ticketTypes;
}

describe('the availability projection', () => {
  it('shows the capacity until order-service reports, then its latest numbers', async () => {
    const event = await publishedEvent();
    const standing = event.ticketTypes[0]!.id;
    expect((await ticketTypes(event.id)).find((t) => t.id === standing)?.available).toBe(300);
    await publishOnBus(catalog.amqpUrl, catalog.prefix, inventory(standing, event.id, 1, 10, 5));
    await waitFor('the first report', async () => (await ticketTypes(event.id)).find((t) => t.id === standing)?.available === 285);
  });

  it('keeps the last version whatever the order of arrival, and ignores a repeat', async () => {
    const event = await publishedEvent();
    const [standing, balcony] = event.ticketTypes.map((t) => t.id) as [string, string];
    const latest = inventory(standing, event.id, 7, 120, 30);
    // Out of order, the newest in the middle, one delivered twice; the other ticket type's numbers are its own.
    for (const message of [inventory(standing, event.id, 3, 50, 10), latest, inventory(standing, event.id, 5, 90, 0), latest, inventory(standing, event.id, 6, 100, 20), inventory(balcony, event.id, 1, 80, 0, 80)]) {
      await publishOnBus(catalog.amqpUrl, catalog.prefix, message);
    }
    await waitFor('every message handled', () => catalog.logs.filter((l) => l.msg === 'message handled' && l.type === 'order.inventory.changed.v1').length >= 6);
    const types = await ticketTypes(event.id);
    expect(types.find((t) => t.id === standing)?.available).toBe(150);
    expect(types.find((t) => t.id === balcony)?.available).toBe(0);
  });
});

describe("the event's tickets sold (the popular listing's order)", () => {
  /** tickets_sold, and the row version (xmin): whether the event row was written at all. */
  async function sales(eventId: string) {
    const [row] = await catalog.service.database.sql<{ ticketsSold: number; xmin: string }[]>`select tickets_sold as "ticketsSold", xmin::text from catalog.events where id = ${eventId}`;
    return row!;
  }
  async function deliver(...messages: Array<ReturnType<typeof inventory>>) {
    const handled = () => catalog.logs.filter((l) => l.msg === 'message handled' && l.type === 'order.inventory.changed.v1').length;
    const before = handled();
    for (const message of messages) await publishOnBus(catalog.amqpUrl, catalog.prefix, message);
    await waitFor(`${messages.length} report(s) handled`, () => handled() >= before + messages.length);
  }

  it('is the sum of its ticket types\' sold, raised by a newer report and never by an older one', async () => {
    const event = await publishedEvent();
    const [standing, balcony] = event.ticketTypes.map((t) => t.id) as [string, string];
    expect((await sales(event.id)).ticketsSold).toBe(0);
    await deliver(inventory(standing, event.id, 2, 30, 4), inventory(balcony, event.id, 1, 12, 0, 80));
    expect((await sales(event.id)).ticketsSold).toBe(42);

    // An older report (it said more, but it is older) and a repeat change nothing: the row is not even written.
    const written = (await sales(event.id)).xmin;
    await deliver(inventory(standing, event.id, 1, 90, 0), inventory(standing, event.id, 2, 30, 4));
    expect(await sales(event.id)).toEqual({ ticketsSold: 42, xmin: written });
    // Holds come and go without a sale: the availability row changes, the event row does not.
    await deliver(inventory(standing, event.id, 3, 30, 9));
    expect(await sales(event.id)).toEqual({ ticketsSold: 42, xmin: written });
    expect((await ticketTypes(event.id)).find((t) => t.id === standing)?.available).toBe(261);

    await deliver(inventory(standing, event.id, 4, 35, 0));
    expect((await sales(event.id)).ticketsSold).toBe(47);
    // Refunds lower it.
    await deliver(inventory(balcony, event.id, 2, 2, 0, 80));
    expect((await sales(event.id)).ticketsSold).toBe(37);
    const [sum] = await catalog.service.database.sql<{ sold: number }[]>`select sum(sold)::int as sold from catalog.availability where event_id = ${event.id}`;
    expect(sum!.sold).toBe(37);
  });

  it('stays exact when reports for several ticket types of one event arrive together', async () => {
    const event = await publishedEvent();
    const [standing, balcony] = event.ticketTypes.map((t) => t.id) as [string, string];
    const messages = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? inventory(standing, event.id, i + 1, i * 3, 1) : inventory(balcony, event.id, i + 1, i, 0, 80)));
    await deliver(...messages.reverse());
    // The newest of each: standing version 19 (sold 54), balcony version 20 (sold 19).
    expect((await sales(event.id)).ticketsSold).toBe(54 + 19);
  });
});

describe('numbers for what no longer exists', () => {
  it('are not kept: a ticket type of another event, or one removed meanwhile', async () => {
    const event = await publishedEvent();
    const other = await publishedEvent();
    const [standing, balcony] = event.ticketTypes.map((t) => t.id) as [string, string];
    // Removed before order-service's (late) report arrives.
    expect((await fetch(`${catalog.url}/api/events/${event.id}/ticket-types/${balcony}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    const before = catalog.logs.filter((l) => l.msg === 'message handled').length;
    await publishOnBus(catalog.amqpUrl, catalog.prefix, inventory(balcony, event.id, 1, 0, 3, 80));
    await publishOnBus(catalog.amqpUrl, catalog.prefix, inventory(standing, other.id, 1, 10, 0));
    await waitFor('both handled', () => catalog.logs.filter((l) => l.msg === 'message handled').length >= before + 2);
    const [row] = await catalog.service.database.sql<{ count: number }[]>`select count(*)::int as count from catalog.availability where ticket_type_id in (${balcony}, ${standing})`;
    expect(row!.count).toBe(0);
  });
});

describe('rules that depend on what was sold', () => {
  it('keep capacity at or above sold, and turn removing a sold ticket type into hiding it', async () => {
    const event = await publishedEvent();
    const standing = event.ticketTypes[0]!.id;
    await publishOnBus(catalog.amqpUrl, catalog.prefix, inventory(standing, event.id, 1, 120, 5));
    await waitFor('the report', async () => (await ticketTypes(event.id)).find((t) => t.id === standing)?.available === 175);
    const patch = (body: unknown) => fetch(`${catalog.url}/api/events/${event.id}/ticket-types/${standing}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const below = await patch({ capacity: 100 });
    expect(below.status).toBe(422);
    expect(((await below.json()) as { detail: string }).detail).toMatch(/120 tickets are already sold/);
    expect((await patch({ capacity: 120 })).status).toBe(200);
    const remove = await fetch(`${catalog.url}/api/events/${event.id}/ticket-types/${standing}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(remove.status).toBe(409);
    expect(((await remove.json()) as { detail: string }).detail).toMatch(/hide this ticket type/);
    // Unpublished after selling, it can no longer be deleted: it must be cancelled.
    await fetch(`${catalog.url}/api/events/${event.id}/unpublish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await fetch(`${catalog.url}/api/events/${event.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(409);
  });
});

describe('processed cover images', () => {
  const image = (organizationId: string, eventId: string) => ({
    id: randomUUID(),
    type: 'media.image.processed.v1',
    source: 'media-service',
    time: new Date().toISOString(),
    subject: randomUUID(),
    version: 1,
    data: { imageId: randomUUID(), organizationId, eventId, alt: 'The stage', width: 1600, height: 900, variants: [{ width: 640, height: 360, format: 'webp', url: '/media/x/640.webp' }] },
  });

  it('attaches an image of the same organisation, and never one of another', async () => {
    const event = await publishedEvent();
    await publishOnBus(catalog.amqpUrl, catalog.prefix, image(organization(), event.id));
    await publishOnBus(catalog.amqpUrl, catalog.prefix, image(org, event.id));
    await waitFor('the cover', async () => ((await (await fetch(`${catalog.url}/api/events/${event.id}`)).json()) as { coverImage: unknown }).coverImage !== null);
    const page = (await (await fetch(`${catalog.url}/api/events/${event.id}`)).json()) as { coverImage: { alt: string; variants: unknown[] } };
    expect(page.coverImage).toMatchObject({ alt: 'The stage', variants: [{ width: 640, format: 'webp' }] });
    expect(catalog.logs.some((l) => l.msg === 'processed image names no event of its organisation; not attached')).toBe(true);
  });

  it('keeps the placeholder and colour, and names the cover when the event is deleted (for media to delete it)', async () => {
    const created = await fetch(`${catalog.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(eventInput(org)) });
    const draft = (await created.json()) as { id: string };
    const processed = image(org, draft.id);
    const placeholder = 'data:image/webp;base64,UklGRiIAAABXRUJQ';
    await publishOnBus(catalog.amqpUrl, catalog.prefix, { ...processed, data: { ...processed.data, placeholder, dominantColor: '#112233' } });
    const owner = { authorization: `Bearer ${token}` };
    const cover = await waitFor('the cover of the draft', async () => ((await (await fetch(`${catalog.url}/api/events/${draft.id}`, { headers: owner })).json()) as { coverImage: Record<string, unknown> | null }).coverImage);
    expect(cover).toMatchObject({ imageId: processed.data.imageId, placeholder, dominantColor: '#112233' });

    const bus = await listenOnBus(catalog.amqpUrl, catalog.prefix, 'catalog.event.deleted.v1');
    try {
      expect((await fetch(`${catalog.url}/api/events/${draft.id}`, { method: 'DELETE', headers: owner })).status).toBe(204);
      const deleted = await waitFor('the deletion on the bus', () => bus.received.find((m) => m.subject === draft.id));
      expect(deleted.data).toMatchObject({ eventId: draft.id, organizationId: org, imageIds: [processed.data.imageId] });
    } finally {
      await bus.close();
    }
  });
});
