/**
 * The organiser flow as a client sees it: through the gateway, with identity
 * tokens, against a real catalog-service; the bus shows each change once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { eventInput, organization } from '../catalog-service/test/support/event-input.ts';
import { listenOnBus, startTestCatalogService, type TestCatalogService } from '../catalog-service/test/support/catalog-service.ts';
import { startGateway, type RunningGateway } from '../gateway/test/support/gateway-harness.ts';

let catalog: TestCatalogService;
let gateway: RunningGateway;
let bus: Awaited<ReturnType<typeof listenOnBus>>;
const org = organization();
let member: string;
let stranger: string;

beforeAll(async () => {
  catalog = await startTestCatalogService();
  gateway = await startGateway({ CATALOG_SERVICE_URL: catalog.url, AUTH_JWKS_URL: catalog.jwksUrl });
  bus = await listenOnBus(catalog.amqpUrl, catalog.prefix, 'catalog.event.#');
  member = await catalog.issuer.sign({ orgs: [{ id: org, role: 'admin' }] });
  stranger = await catalog.issuer.sign({ orgs: [{ id: organization(), role: 'owner' }] });
});

afterAll(async () => {
  await bus?.close();
  await gateway?.stop();
  await catalog?.stop();
});

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('organising an event through the gateway', () => {
  it('creates, publishes, edits, unpublishes and cancels; strangers get 403; each change is on the bus once, in version order', async () => {
    const created = await call('POST', '/api/events', member, eventInput(org));
    expect(created.status).toBe(201);
    const event = (await created.json()) as { id: string; slug: string };
    const steps: Array<[string, string, unknown?]> = [
      ['POST', `/api/events/${event.id}/publish`],
      ['PATCH', `/api/events/${event.id}`, { description: 'Now with a late-night jam session.' }],
      ['POST', `/api/events/${event.id}/unpublish`],
      ['POST', `/api/events/${event.id}/cancel`],
    ];
    for (const [method, path, body] of steps) {
      expect((await call(method, path, stranger, body)).status, `stranger: ${method} ${path}`).toBe(403);
      expect((await call(method, path, member, body)).status, `member: ${method} ${path}`).toBe(200);
    }
    await waitFor('four messages', () => bus.received.filter((m) => m.subject === event.id).length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const messages = bus.received.filter((m) => m.subject === event.id);
    expect(messages.map((m) => m.type)).toEqual(['catalog.event.published.v1', 'catalog.event.updated.v1', 'catalog.event.unpublished.v1', 'catalog.event.cancelled.v1']);
    expect(messages.map((m) => m.version)).toEqual([...messages.map((m) => m.version)].sort((a, b) => a - b));
    // Anyone may read the cancelled event by its slug; nobody may act without signing in.
    expect((await call('GET', `/api/events/${event.slug}`)).status).toBe(200);
    expect((await call('POST', '/api/events', undefined, eventInput(org))).status).toBe(401);
  });

  it('deletes a draft; a stranger may not', async () => {
    const event = (await (await call('POST', '/api/events', member, eventInput(org))).json()) as { id: string };
    expect((await call('DELETE', `/api/events/${event.id}`, stranger)).status).toBe(403);
    expect((await call('DELETE', `/api/events/${event.id}`, member)).status).toBe(204);
    expect((await call('GET', `/api/events/${event.id}`, member)).status).toBe(404);
  });

  it('lists and searches publicly, with the listing in the gateway\'s OpenAPI document', async () => {
    const listing = await call('GET', '/api/events?q=jazz&limit=5');
    expect(listing.status).toBe(200);
    expect((await call('GET', '/api/events?limit=1000000000')).status).toBe(400);
    const document = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/events', '/api/events/{key}', '/api/events/{id}/publish']));
  });
});
