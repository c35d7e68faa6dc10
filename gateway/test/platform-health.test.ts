import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLifecycle } from '@twenny/lifecycle';
import { startHttpServer } from '@twenny/http-kit';
import { captureLogger } from '@twenny/testing';
import { createGatewayApp } from '../src/http/app.ts';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A stand-in upstream answering /health/ready with the given status. */
async function upstream(status: number): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'ready' : 'degraded', checks: { postgres: status === 200 ? 'up' : 'down' } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function gateway(upstreams: { auth: string; catalog: string; order: string; media: string }) {
  const { logger } = captureLogger('gateway');
  const lifecycle = createLifecycle({ logger, timeoutMs: 2_000 });
  const app = createGatewayApp({ logger, lifecycle, upstreams });
  const running = await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger });
  lifecycle.markReady();
  servers.push(running.server);
  return running.url;
}

describe('GET /health on the gateway', () => {
  it('is 200 when every service is ready', async () => {
    const ready = await upstream(200);
    const url = await gateway({ auth: ready, catalog: ready, order: ready, media: ready });
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ status: 'ready', services: { auth: { status: 'ready' }, media: { status: 'ready' } } });
  });

  it('is 503 and names the service that is not ready or not there', async () => {
    const ready = await upstream(200);
    const degraded = await upstream(503);
    const url = await gateway({ auth: ready, catalog: degraded, order: 'http://127.0.0.1:1', media: ready });
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      services: { auth: { status: 'ready' }, catalog: { status: 'degraded', checks: { postgres: 'down' } }, order: { status: 'unreachable' } },
    });
  });
});
