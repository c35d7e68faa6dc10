/**
 * Every service checks identity itself: a request sent straight to a service's
 * port, past the gateway, gets 401 on every route the gateway does not serve
 * publicly — with no token, with a token signed by another key under the real
 * key id, with an unsigned token, or with hand-made identity headers.
 *
 * Generated from the gateway's route table: a route a later issue adds is
 * covered here without editing this file. The services run in this process,
 * each on its own database, bus prefix and Redis prefix; only those the table
 * routes to are started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@twenny/config';
import { captureLogger, createTestDatabase, createTestIssuer, deleteTestTopology, infrastructure, uniquePrefix, type TestDatabase } from '@twenny/testing';
import { authClient, uniqueEmail } from '../auth-service/test/support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from '../auth-service/test/support/auth-service.ts';
import { configSchema as catalogConfigSchema } from '../catalog-service/src/config.ts';
import { startCatalogService } from '../catalog-service/src/service.ts';
import { routeExample, routeExampleMethod, routeTable, type RouteEntry } from '../gateway/src/routes/route-table.ts';
import type { UpstreamName } from '../gateway/src/upstreams.ts';
import { configSchema as mediaConfigSchema } from '../media-service/src/config.ts';
import { startMediaService } from '../media-service/src/service.ts';
import { configSchema as orderConfigSchema } from '../order-service/src/config.ts';
import { startOrderService } from '../order-service/src/service.ts';

const guarded = routeTable.filter((entry) => entry.policy !== 'public');
const needed = new Set<UpstreamName>(['auth', ...guarded.map((entry) => entry.upstream)]);

let auth: TestAuthService;
let database: TestDatabase | undefined;
const prefix = uniquePrefix();
const urls: Partial<Record<UpstreamName, string>> = {};
const stops: Array<() => Promise<unknown>> = [];
let realToken: string;
let forged: string;

// Headers other systems use to pass a caller on; a service must believe none of them.
const handMade = {
  'x-user-id': '00000000-0000-4000-8000-000000000001',
  'x-user-email': 'admin@twenny.local',
  'x-user-role': 'admin',
  'x-twenny-user': '{"sub":"00000000-0000-4000-8000-000000000001","role":"admin"}',
  'x-twenny-identity': '{"userId":"00000000-0000-4000-8000-000000000001","role":"admin","orgs":[]}',
  'x-org-id': '00000000-0000-4000-8000-000000000002',
  'x-org-role': 'owner',
  'x-forwarded-user': 'admin@twenny.local',
  'x-authenticated-userid': '00000000-0000-4000-8000-000000000001',
  'x-remote-user': 'admin',
};

/** A token that claims admin with no signature at all. */
function unsignedToken(kid: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', kid })}.${part({ sub: '00000000-0000-4000-8000-000000000001', email: 'admin@twenny.local', role: 'admin', orgs: [], iss: 'http://localhost:3000', aud: 'twenny-api', iat: now, exp: now + 300 })}.`;
}

async function startService(name: Exclude<UpstreamName, 'auth'>) {
  const { amqpUrl } = await infrastructure();
  database ??= await createTestDatabase();
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    AMQP_URL: amqpUrl,
    AMQP_PREFIX: `${prefix}.`,
    AUTH_JWKS_URL: `${auth.url}/api/auth/jwks`,
  };
  const { logger } = captureLogger(name, 'warn');
  const options = { handleSignals: false, logger };
  const service =
    name === 'catalog'
      ? await startCatalogService(loadConfig(catalogConfigSchema, { ...env, DATABASE_URL: database.urlFor('catalog-service') }), options)
      : name === 'order'
        ? await startOrderService(loadConfig(orderConfigSchema, { ...env, DATABASE_URL: database.urlFor('order-service') }), options)
        : await startMediaService(loadConfig(mediaConfigSchema, { ...env, DATABASE_URL: database.urlFor('media-service') }), options);
  stops.push(() => service.stop());
  return service.http.url;
}

beforeAll(async () => {
  auth = await startTestAuthService();
  urls.auth = auth.url;
  for (const name of needed) if (name !== 'auth') urls[name] = await startService(name);

  // A real user's real token: the control that shows a refusal below is about the credentials.
  const client = authClient(auth.url);
  expect((await client.api.signUp.email({ name: 'Direct caller', email: uniqueEmail('direct'), password: 'a long enough password' })).error).toBeNull();
  const { data } = await client.api.token();
  realToken = data!.token;
  const { keys } = (await (await fetch(`${auth.url}/api/auth/jwks`)).json()) as { keys: Array<{ kid: string }> };
  const kid = keys[0]!.kid;
  // Another key under the real key id, claiming platform admin and every organisation role it could want.
  forged = await (await createTestIssuer({ kid })).sign({ role: 'admin', orgs: [{ id: '00000000-0000-4000-8000-000000000002', role: 'owner' }] });
}, 60_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await auth?.stop();
  await database?.drop();
  const { amqpUrl } = await infrastructure();
  await deleteTestTopology(amqpUrl, `${prefix}.`);
});

function callDirectly(entry: RouteEntry, headers: Record<string, string>) {
  return fetch(`${urls[entry.upstream]}${routeExample(entry)}`, { method: routeExampleMethod(entry), headers });
}

it('covers at least the routes issue 3 guards', () => {
  expect(guarded.map((entry) => entry.path)).toEqual(expect.arrayContaining(['/api/me', '/api/auth/admin/*rest']));
});

describe.each(guarded.map((entry) => [`${routeExampleMethod(entry)} ${routeExample(entry)} (${entry.upstream})`, entry] as const))('%s, called on the service directly', (_, entry) => {
  it.each([
    ['no credentials', () => ({})],
    ['a token signed by another key under the real key id', () => ({ authorization: `Bearer ${forged}` })],
    ['an unsigned token (alg none)', () => ({ authorization: `Bearer ${unsignedToken(JSON.parse(Buffer.from(forged.split('.')[0]!, 'base64url').toString()).kid)}` })],
    ['hand-made identity headers', () => handMade],
    ['hand-made identity headers with a forged token', () => ({ ...handMade, authorization: `Bearer ${forged}` })],
  ])('refuses %s with 401', async (_kind, headers) => {
    const response = await callDirectly(entry, headers());
    expect(response.status).toBe(401);
    if (entry.credentials === 'token') {
      // Token routes answer with the shared identity kit's problem and challenge.
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="twenny"/);
    }
  });

  if (entry.credentials === 'token') {
    it('serves a real token (the control: the refusals above are about the credentials)', async () => {
      const response = await callDirectly(entry, { authorization: `Bearer ${realToken}` });
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    });
  }
});
