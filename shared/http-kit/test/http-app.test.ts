import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLifecycle, type Lifecycle } from '@twenny/lifecycle';
import { captureLogger } from '@twenny/testing';
import { createHttpApp, HttpProblem, startHttpServer, validated, type ReadinessCheck } from '../src/index.ts';

let lifecycle: Lifecycle | undefined;

afterEach(async () => {
  await lifecycle?.stop('test over');
  lifecycle = undefined;
});

let slowStarted: () => void = () => {};

async function serve(options: { readiness?: ReadinessCheck[]; ready?: boolean; slowMs?: number } = {}) {
  const logs = captureLogger('http-test');
  lifecycle = createLifecycle({ logger: logs.logger, timeoutMs: 5_000 });
  const app = createHttpApp({
    logger: logs.logger,
    lifecycle,
    readiness: options.readiness,
    bodyLimit: '1kb',
    routes: (app) => {
      app.post(
        '/orders',
        validated(
          {
            query: z.object({ limit: z.coerce.number().int().max(100).default(10) }),
            body: z.object({ items: z.array(z.object({ quantity: z.number().int().positive() })).min(1) }),
          },
          (input, _req, res) => {
            res.status(201).json({ count: input.body.items.length, limit: input.query.limit });
          },
        ),
      );
      app.get('/orders/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
      app.get('/conflict', () => {
        throw HttpProblem.conflict('Only 3 tickets left.', { available: 3 });
      });
      app.get('/boom', () => {
        throw new Error('database password is hunter2');
      });
      app.get('/slow', async (_req, res) => {
        slowStarted();
        await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 300));
        res.json({ done: true });
      });
    },
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger: logs.logger });
  if (options.ready !== false) lifecycle.markReady();
  return { url: server.url, logs, lifecycle };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('http kit', () => {
  it('answers unknown routes with a problem+json 404', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toEqual({ type: 'https://twenny.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No route for GET /nowhere.', instance: '/nowhere' });
  });

  it('names every invalid field, in body and query, with a 400', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/orders?limit=500`, json({ items: [{ quantity: 2 }, { quantity: 0 }] }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; errors: { name: string }[] };
    expect(body.type).toBe('https://twenny.dev/problems/validation');
    expect(body.errors.map((e: { name: string }) => e.name)).toEqual(['query.limit', 'body.items[1].quantity']);
  });

  it('passes parsed, typed input to the handler', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/orders?limit=5`, json({ items: [{ quantity: 1 }] }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ count: 1, limit: 5 });
  });

  it('says a JSON body is needed when none came', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'items=1' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/needs a JSON body/);
  });

  it('turns malformed and oversized bodies into clear 4xx problems', async () => {
    const { url } = await serve();
    const malformed = await fetch(`${url}/orders`, json('{"items": [}'));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { type: string }).type).toBe('https://twenny.dev/problems/malformed-body');
    const huge = await fetch(`${url}/orders`, json({ items: Array.from({ length: 500 }, () => ({ quantity: 1 })) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { detail: string }).detail).toContain('1024 bytes');
    const deep = await fetch(`${url}/orders`, json('['.repeat(400) + ']'.repeat(400)));
    expect(deep.status).toBe(400);
  });

  it('answers a malformed path with a 400, not a 500', async () => {
    const { url, logs } = await serve();
    const response = await fetch(`${url}/orders/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(logs.lines.some((l) => l.msg === 'unhandled error')).toBe(false);
  });

  it('keeps problem extensions, and never leaks an internal error', async () => {
    const { url, logs } = await serve();
    const conflict = await fetch(`${url}/conflict`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ detail: 'Only 3 tickets left.', available: 3 });

    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    const requestId = boom.headers.get('x-request-id');
    const text = await boom.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text).detail).toContain(requestId);
    const logged = logs.lines.find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ requestId });
  });

  it('keeps a well-formed request id and replaces a hostile one', async () => {
    const { url, logs } = await serve();
    const kept = await fetch(`${url}/nowhere`, { headers: { 'x-request-id': 'abc-12345-def' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-12345-def');
    const replaced = await fetch(`${url}/nowhere`, { headers: { 'x-request-id': '"}<script>alert(1)</script> '.repeat(10) } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const completed = logs.lines.filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => l.requestId)).toEqual(['abc-12345-def', replaced.headers.get('x-request-id')]);
  });

  it('reports readiness from its checks, and not-ready before start and during shutdown', async () => {
    let redisUp = true;
    const { url, lifecycle } = await serve({ ready: false, readiness: [{ name: 'redis', check: async () => { if (!redisUp) throw new Error('down'); } }] });
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    lifecycle.markReady();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'up' } });
    redisUp = false;
    const degraded = await fetch(`${url}/health/ready`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toEqual({ status: 'degraded', checks: { redis: 'down' } });
  });

  it('reports an optional dependency that is down, and stays ready', async () => {
    const { url, lifecycle } = await serve({
      readiness: [
        { name: 'postgres', check: async () => {} },
        { name: 'redis', optional: true, check: async () => { throw new Error('down'); } },
      ],
    });
    lifecycle.markReady();
    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'degraded', checks: { postgres: 'up', redis: 'down' } });
  });

  it('lets an in-flight request finish during shutdown, then refuses new connections', async () => {
    const { url, lifecycle } = await serve({ slowMs: 400 });
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const inFlight = fetch(`${url}/slow`);
    await started;
    const stopping = lifecycle.stop('test');
    expect(lifecycle.isReady).toBe(false);
    const response = await inFlight;
    expect(await response.json()).toEqual({ done: true });
    await stopping;
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
