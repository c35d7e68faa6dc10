import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { rawRequest } from './support/raw-request.ts';
import { readBody, startStub, type StubUpstream } from './support/stub-upstream.ts';

// Public, session-forwarding, any method: the auth wildcard is the test bed for proxy behaviour.
const echo = '/api/auth/test/echo';
const slow = '/api/auth/test/slow';
const held = '/api/auth/test/held';
const dropsFirst = '/api/auth/test/drops-first';

let auth: StubUpstream;
let gateway: RunningGateway;
let releaseHeld: (() => void) | undefined;

beforeAll(async () => {
  auth = await startStub();
  auth.on(echo, async (req, res, record) => {
    record.body = await readBody(req);
    res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure']);
    res.writeHead(201, { 'content-type': 'application/octet-stream', connection: 'x-private-hop', 'x-private-hop': 'secret', 'keep-alive': 'timeout=5', 'x-sha256': createHash('sha256').update(record.body).digest('hex') });
    res.end(record.body);
  });
  auth.on(slow, () => {
    // Never answers: the gateway's timeout must.
  });
  auth.on(held, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first,');
    releaseHeld = () => res.end('last');
  });
  // Drops the connection of every other request it receives, as a service closing a kept-alive connection would.
  let seen = 0;
  auth.on(dropsFirst, (req, res) => {
    seen += 1;
    if (seen % 2 === 1) return void req.socket.destroy();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('second try');
  });
  gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, UPSTREAM_TIMEOUT_MS: '300', BODY_LIMIT_BYTES: '4096' });
});

afterAll(async () => {
  await gateway?.stop();
  await auth?.stop();
});

describe('proxying', () => {
  it('relays status, body and every Set-Cookie; strips hop-by-hop headers both ways', async () => {
    const response = await rawRequest(gateway.url, {
      method: 'POST',
      path: `${echo}?q=1`,
      headers: { connection: 'keep-alive, x-client-hop', 'x-client-hop': '1', 'keep-alive': 'timeout=9', te: 'trailers', 'proxy-authorization': 'Basic eDp5', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(201);
    expect(response.body).toBe('hello');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure']);
    expect(response.headers['x-private-hop']).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=5'); // the gateway's own, not the service's
    const received = auth.requestsTo(echo).at(-1)!;
    expect(received.url).toBe(`${echo}?q=1`);
    for (const name of ['x-client-hop', 'keep-alive', 'te', 'proxy-authorization']) expect(received.headers[name], name).toBeUndefined();
    expect(received.headers['content-type']).toBe('text/plain');
  });

  it('tries a GET once more on a dropped connection, but never a POST (the service may have acted on it)', async () => {
    const get = await fetch(`${gateway.url}${dropsFirst}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('second try');
    expect(auth.requestsTo(dropsFirst)).toHaveLength(2);

    const post = await fetch(`${gateway.url}${dropsFirst}`, { method: 'POST' });
    expect(post.status).toBe(503);
    expect(post.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(auth.requestsTo(dropsFirst)).toHaveLength(3);
  });

  it('tells the service the client address, protocol, host and request id', async () => {
    const response = await fetch(`${gateway.url}${echo}`, { headers: { 'x-request-id': 'proxy-test-req-0001', 'x-forwarded-host': 'site.example', 'x-forwarded-proto': 'https', 'x-real-ip': '6.6.6.6', forwarded: 'for=6.6.6.6' } });
    expect(response.headers.get('x-request-id')).toBe('proxy-test-req-0001');
    const received = auth.requestsTo(echo).at(-1)!;
    expect(received.headers['x-request-id']).toBe('proxy-test-req-0001');
    expect(received.headers['x-forwarded-for']).toBe('127.0.0.1');
    // The test's loopback hop is trusted by default (the site runs on the same host).
    expect(received.headers['x-forwarded-host']).toBe('site.example');
    expect(received.headers['x-forwarded-proto']).toBe('https');
    expect(received.headers['x-real-ip']).toBeUndefined();
    expect(received.headers.forwarded).toBeUndefined();
    expect(received.headers.host).toBe(new URL(auth.url).host);
  });

  it('streams a large body both ways unchanged', async () => {
    const big = await startGateway({ AUTH_SERVICE_URL: auth.url, BODY_LIMIT_BYTES: String(8 * 1024 * 1024) });
    try {
      const body = randomBytes(3 * 1024 * 1024);
      const response = await fetch(`${big.url}${echo}`, { method: 'PUT', body });
      const returned = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(201);
      expect(returned.length).toBe(body.length);
      expect(createHash('sha256').update(returned).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
      expect(response.headers.get('x-sha256')).toBe(createHash('sha256').update(body).digest('hex'));
    } finally {
      await big.stop();
    }
  });

  it('relays the first part of a response before the service has finished it', async () => {
    const response = await fetch(`${gateway.url}${held}`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first,');
    releaseHeld!();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += Buffer.from(chunk.value).toString();
    expect(rest).toBe('last');
  });

  it('relays the service\'s own errors as they are', async () => {
    auth.on('/api/auth/test/teapot', (_req, res) => void res.writeHead(418, { 'content-type': 'application/json' }).end('{"code":"TEAPOT"}'));
    const response = await fetch(`${gateway.url}/api/auth/test/teapot`);
    expect(response.status).toBe(418);
    expect(await response.json()).toEqual({ code: 'TEAPOT' });
  });

  it('sets the security headers, and a Content-Security-Policy that allows nothing on API responses', async () => {
    for (const path of [echo, '/api/nothing-here']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('request bodies over the limit', () => {
  it('declared too large: 413 before anything reaches the service', async () => {
    const before = auth.requestsTo(echo).length;
    const response = await rawRequest(gateway.url, { method: 'POST', path: echo, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'https://twenny.dev/problems/payload-too-large', status: 413 });
    expect(auth.requestsTo(echo).length).toBe(before);
  });

  it('streamed (chunked) past the limit: 413, counted as it arrives', async () => {
    const chunks = Array.from({ length: 6 }, () => 'y'.repeat(1000));
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${gateway.url}${echo}`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ status: 413 });
  });

  it('at the limit: passes', async () => {
    const response = await fetch(`${gateway.url}${echo}`, { method: 'POST', body: 'z'.repeat(4096) });
    expect(response.status).toBe(201);
    expect((await response.text()).length).toBe(4096);
  });
});

describe('when the service fails', () => {
  it('does not answer in time: 504 problem naming the service', async () => {
    const response = await fetch(`${gateway.url}${slow}`);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ type: 'https://twenny.dev/problems/unavailable', status: 504, service: 'auth' });
  });

  it('is stopped: 503 at once (also with a body); back on the same port: served again, no restart', async () => {
    const own = await startStub();
    const proxied = await startGateway({ AUTH_SERVICE_URL: own.url });
    try {
      expect((await fetch(`${proxied.url}/api/auth/ok`)).status).toBe(200);
      await own.stop();
      const down = await fetch(`${proxied.url}/api/auth/ok`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('2');
      expect(await down.json()).toMatchObject({ status: 503, service: 'auth', detail: expect.stringContaining('auth service') });
      const withBody = await fetch(`${proxied.url}/api/auth/ok`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      expect(withBody.status).toBe(503);
      await own.restart();
      expect((await fetch(`${proxied.url}/api/auth/ok`)).status).toBe(200);
      expect((await fetch(`${proxied.url}/api/auth/ok`, { method: 'POST', body: '{"a":1}' })).status).toBe(200);
    } finally {
      await proxied.stop();
      await own.stop().catch(() => undefined);
    }
  });

  it('cuts the connection mid-response: the client\'s connection is cut too, and the gateway carries on', async () => {
    auth.on('/api/auth/test/cut', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setImmediate(() => res.destroy());
    });
    await expect(fetch(`${gateway.url}/api/auth/test/cut`).then((r) => r.text())).rejects.toThrow();
    expect((await fetch(`${gateway.url}${echo}`)).status).toBe(201);
  });
});

describe('a client that goes away', () => {
  it('aborts the call to the service', async () => {
    // A timeout far beyond the test's: only the client leaving can end the call.
    const patient = await startGateway({ AUTH_SERVICE_URL: auth.url, UPSTREAM_TIMEOUT_MS: '120000' });
    try {
      const path = '/api/auth/test/abandoned';
      auth.on(path, () => {
        // Holds the request open until the gateway lets go of it.
      });
      const req = request(`${patient.url}${path}`);
      req.on('error', () => {});
      req.end();
      const received = await waitFor('the service to receive the request', () => auth.requestsTo(path)[0]);
      req.destroy();
      const outcome = await Promise.race([received.closed, new Promise((resolve) => setTimeout(resolve, 10_000, 'still open'))]);
      expect(outcome).toEqual({ aborted: true });
    } finally {
      await patient.stop();
    }
  });
});
