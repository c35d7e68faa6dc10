import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeOpenApi } from '../src/openapi/merge-openapi.ts';
import type { RouteEntry } from '../src/routes/route-table.ts';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { startStub, type StubUpstream } from './support/stub-upstream.ts';

/** What auth-service might describe: more than the gateway exposes, with components referring to each other. */
const authDocument = {
  openapi: '3.1.0',
  info: { title: 'auth-service', version: '1' },
  paths: {
    '/api/me': { get: { operationId: 'me', responses: { '200': { description: 'me', content: { 'application/json': { schema: { $ref: '#/components/schemas/Me' } } } } } } },
    '/api/auth/sign-in/email': { post: { operationId: 'signIn', requestBody: { $ref: '#/components/requestBodies/SignIn' }, responses: { '200': { description: 'ok' } } } },
    '/api/auth/admin/list-users': { get: { security: [{ internal: [] }], responses: { '200': { description: 'users', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/User' } } } } } } } },
    '/api/auth/admin/users/{userId}': { parameters: [{ $ref: '#/components/parameters/UserId' }], delete: { responses: { '204': { description: 'gone' } } } },
    '/internal/rotate-keys': { post: { responses: { '200': { description: 'secret' } } } },
    '/openapi.json': { get: { responses: { '200': { description: 'itself' } } } },
  },
  components: {
    schemas: {
      Me: { type: 'object', properties: { user: { $ref: '#/components/schemas/User' } } },
      User: { type: 'object', properties: { org: { $ref: '#/components/schemas/Org' } } },
      Org: { type: 'object' },
      Internal: { type: 'object', description: 'never exposed' },
      Credentials: { type: 'object', required: ['email'] },
    },
    requestBodies: { SignIn: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Credentials' } } } } },
    parameters: { UserId: { name: 'userId', in: 'path', required: true, schema: { type: 'string' } } },
    securitySchemes: { internal: { type: 'apiKey', in: 'header', name: 'x-internal' } },
  },
};

// A merged document, walked freely by the assertions below.
type Doc = Record<string, any>;
const documentAt = async (url: string): Promise<Doc> => (await fetch(url)).json() as Promise<Doc>;

/** Every `$ref` in the document resolves inside it. */
function danglingRefs(document: Record<string, unknown>): string[] {
  const dangling: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const [, section, name] = child.split('/').slice(1);
        const components = document.components as Record<string, Record<string, unknown>>;
        if (!components[section!]?.[name!]) dangling.push(child);
      } else walk(child);
    }
  };
  walk(document);
  return dangling;
}

let auth: StubUpstream;
let gateway: RunningGateway;

beforeAll(async () => {
  auth = await startStub();
  auth.on('/openapi.json', (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(authDocument)));
  gateway = await startGateway({ AUTH_SERVICE_URL: auth.url });
});

afterAll(async () => {
  await gateway?.stop();
  await auth?.stop();
});

describe('GET /api/openapi.json', () => {
  it('merges the route table with the service\'s own description, exposing only routed paths', async () => {
    const response = await fetch(`${gateway.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Doc;
    expect(document.openapi).toBe('3.1.0');
    expect(document['x-twenny-upstreams'].auth.status).toBe('merged');
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/me', '/api/auth/sign-in/email', '/api/auth/admin/list-users', '/api/auth/admin/users/{userId}', '/health', '/api/openapi.json', '/api/docs']));
    expect(paths).not.toContain('/internal/rotate-keys');
    expect(paths).not.toContain('/openapi.json');

    const me = document.paths['/api/me'].get;
    expect(me['x-twenny-policy']).toBe('signed-in');
    expect(me.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(me.operationId).toBe('auth.me');
    expect(me.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/auth.Me');
    expect(me.responses['401']).toBeDefined();

    const admin = document.paths['/api/auth/admin/list-users'].get;
    expect(admin['x-twenny-policy']).toBe('platform-admin');
    expect(admin.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(admin.responses['403']).toBeDefined();

    const signIn = document.paths['/api/auth/sign-in/email'].post;
    expect(signIn['x-twenny-policy']).toBe('public');
    expect(signIn['x-twenny-rate-limit']).toBe('sign-in');
    expect(signIn.security).toBeUndefined();
    expect(signIn.requestBody.$ref).toBe('#/components/requestBodies/auth.SignIn');
    expect(document.paths['/api/auth/admin/users/{userId}'].parameters[0].$ref).toBe('#/components/parameters/auth.UserId');
  });

  it('namespaces component names per service, keeps only those reached, and leaves no dangling reference', async () => {
    const document = await documentAt(`${gateway.url}/api/openapi.json`);
    expect(Object.keys(document.components.schemas).sort()).toEqual(['auth.Credentials', 'auth.Me', 'auth.Org', 'auth.User', 'gateway.Problem']);
    expect(document.components.schemas['auth.User'].properties.org.$ref).toBe('#/components/schemas/auth.Org');
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearerToken', 'sessionCookie']);
    expect(danglingRefs(document)).toEqual([]);
  });

  it('describes a service that cannot be asked from the route table alone, and says so', async () => {
    const down = await startGateway({ AUTH_SERVICE_URL: 'http://127.0.0.1:1' });
    try {
      const document = await documentAt(`${down.url}/api/openapi.json`);
      expect(document['x-twenny-upstreams'].auth).toMatchObject({ status: 'unavailable' });
      expect(document.info.description).toMatch(/auth service's own description could not be fetched/);
      const me = document.paths['/api/me'].get;
      expect(me['x-twenny-source']).toBe('route-table');
      expect(me['x-twenny-policy']).toBe('signed-in');
      expect(me.security).toBeDefined();
      expect(document.paths['/api/auth/admin/{rest}'].get['x-twenny-policy']).toBe('platform-admin');
      expect(document.paths['/api/auth/admin/{rest}'].get.parameters[0]).toMatchObject({ name: 'rest', in: 'path', 'x-twenny-wildcard': true });
      expect(danglingRefs(document)).toEqual([]);
    } finally {
      await down.stop();
    }
  });

  it('keeps two services\' same-named schemas apart', () => {
    const routes: RouteEntry[] = [
      { methods: ['GET'], path: '/api/events/:id', example: '/api/events/e1', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'an event' },
      { methods: ['GET'], path: '/api/orders/:id', example: '/api/orders/o1', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'an order' },
    ];
    const described = (path: string) => ({
      status: 'merged' as const,
      fetchedAt: 'now',
      document: { paths: { [path]: { get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } } } } }, components: { schemas: { Item: { type: 'object', 'x-from': path } } } },
    });
    const merged = mergeOpenApi({ routes, documents: { catalog: described('/api/events/{eventId}'), order: described('/api/orders/{orderId}') } }) as { components: { schemas: Record<string, { 'x-from'?: string }> }; paths: Record<string, unknown> };
    expect(merged.components.schemas['catalog.Item']?.['x-from']).toBe('/api/events/{eventId}');
    expect(merged.components.schemas['order.Item']?.['x-from']).toBe('/api/orders/{orderId}');
    expect(Object.keys(merged.paths)).toEqual(expect.arrayContaining(['/api/events/{eventId}', '/api/orders/{orderId}']));
  });
});

describe('GET /api/docs', () => {
  it('serves a page whose scripts and styles all come from the gateway, with no inline script', async () => {
    const response = await fetch(`${gateway.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toMatch(/https?:/);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\//);
      expect(inline!.trim()).toBe('');
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.every((asset) => asset.startsWith('/api/docs/'))).toBe(true);
    for (const asset of assets) {
      const served = await fetch(`${gateway.url}${asset}`);
      expect(served.status, asset).toBe(200);
      expect((await served.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const initializer = await (await fetch(`${gateway.url}/api/docs/swagger-initializer.js`)).text();
    expect(initializer).toContain("'/api/openapi.json'");
  });

  it('serves only the listed assets', async () => {
    for (const path of ['/api/docs/assets/index.html', '/api/docs/assets/swagger-initializer.js', '/api/docs/assets/package.json']) {
      expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(404);
    }
  });
});
