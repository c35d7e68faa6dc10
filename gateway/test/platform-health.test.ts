import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';

const servers: Server[] = [];
const gateways: RunningGateway[] = [];

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
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
  const running = await startGateway({
    AUTH_SERVICE_URL: upstreams.auth,
    CATALOG_SERVICE_URL: upstreams.catalog,
    ORDER_SERVICE_URL: upstreams.order,
    MEDIA_SERVICE_URL: upstreams.media,
  });
  gateways.push(running);
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

describe('GET /health/ready on the gateway', () => {
  it('checks Redis', async () => {
    const url = await gateway({ auth: 'http://127.0.0.1:1', catalog: 'http://127.0.0.1:1', order: 'http://127.0.0.1:1', media: 'http://127.0.0.1:1' });
    // The Redis client connects in the background; readiness follows it.
    const response = await waitFor('the gateway to be ready', async () => {
      const answer = await fetch(`${url}/health/ready`);
      return answer.status === 200 ? answer : undefined;
    });
    expect(await response.json()).toEqual({ status: 'ready', checks: { redis: 'up' } });
  });
});
