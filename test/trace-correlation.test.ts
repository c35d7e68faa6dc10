import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createTestDatabase, deleteBrokerObjects, infrastructure, uniquePrefix, waitFor, type TestDatabase } from '@twenny/testing';
import { topologyNames } from '@twenny/messaging';
import { startProcess, type RunningProcess } from './platform-process.ts';

let database: TestDatabase;
let collector: Server;
/** What the fake OTLP collector received: one parsed JSON body per export. */
const exports: Array<{ resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<{ traceId: string; name: string; kind: number }> }> }> }> = [];
const prefixes: string[] = [];
const services: RunningProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const sql = postgres(database.urlFor('catalog-service'), { max: 1 });
  await sql`create table catalog.counters (id text primary key, handled int not null default 0)`;
  await sql.end();
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk)).on('end', () => {
      if (req.url === '/v1/traces') exports.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const service of services) await service.stop();
  collector?.close();
  const { amqpUrl } = await infrastructure();
  for (const prefix of prefixes) {
    const names = topologyNames(prefix);
    await deleteBrokerObjects(amqpUrl, {
      exchanges: [names.exchange],
      queues: [names.queue('catalog-service'), names.deadLetterQueue('catalog-service'), ...[1000, 10000, 60000].map((ms) => names.retryQueue('catalog-service', ms))],
    });
  }
  await database?.drop();
});

/** The fixture service on its own bus prefix; exporting spans to the fake collector, or not (as npm start runs). */
async function startTracedService(exporting: boolean): Promise<{ service: RunningProcess; prefix: string }> {
  const prefix = `${uniquePrefix()}.`;
  prefixes.push(prefix);
  const service = startProcess('test', 'fixtures/traced-counter-service.ts', {
    DATABASE_URL: database.urlFor('catalog-service'),
    AMQP_URL: (await infrastructure()).amqpUrl,
    AMQP_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    OTEL_SERVICE_NAME: 'traced-counter-service',
    ...(exporting ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` } : {}),
  });
  services.push(service);
  return { service, prefix };
}

/** Requests, creations and handlings of counters `ids` share one trace each, and each its own. */
async function expectOneTracePerCounter(service: RunningProcess, ids: string[]) {
  const port = await service.port();
  await Promise.all(ids.map((id) => fetch(`http://127.0.0.1:${port}/counters/${id}`, { method: 'POST' })));
  await waitFor('every counter handled', () => ids.every((id) => service.lines.some((l) => l.msg === 'counter handled' && l.counterId === id)));
  for (const id of ids) {
    const requestLine = service.lines.find((l) => l.msg === 'counter created' && l.counterId === id);
    const handledLine = service.lines.find((l) => l.msg === 'counter handled' && l.counterId === id);
    expect(requestLine?.traceId, id).toMatch(/^[0-9a-f]{32}$/);
    expect(handledLine?.traceId, id).toBe(requestLine?.traceId);
  }
  expect(new Set(ids.map((id) => service.lines.find((l) => l.msg === 'counter handled' && l.counterId === id)?.traceId)).size).toBe(ids.length);
}

describe('one trace from an HTTP request, through the outbox and the bus, to the consumer', () => {
  it('gives the request log line and the consumer log line the same trace id, and exports the spans', async () => {
    const { service, prefix } = await startTracedService(true);
    const port = await service.port();
    const response = await fetch(`http://127.0.0.1:${port}/counters/c1`, { method: 'POST', headers: { 'x-request-id': 'trace-test-0001' } });
    expect(response.status).toBe(201);

    const handled = await waitFor('the consumer to handle the message', () => service.lines.find((l) => l.msg === 'counter handled'));
    const request = service.lines.find((l) => l.msg === 'request completed' && l.path === '/counters/c1');
    const created = service.lines.find((l) => l.msg === 'counter created');
    expect(request?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(request?.traceId).not.toBe('0'.repeat(32));
    expect(created?.traceId).toBe(request?.traceId);
    expect(handled.traceId).toBe(request?.traceId);
    // The request id travels too, as the message's correlation id.
    expect(handled.requestId).toBe('trace-test-0001');
    expect(handled.messageId).toMatch(/^[0-9a-f-]{36}$/);

    // Several at once (applied by the consumer in one batch): each keeps its own trace.
    await expectOneTracePerCounter(service, ['c2', 'c3', 'c4', 'c5', 'c6']);

    // With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans leave the process (flushed at shutdown).
    expect(await service.stop('SIGTERM')).toBe(0);
    const spans = exports.flatMap((e) => e.resourceSpans).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, resource: r.resource }))));
    const traced = spans.filter((span) => span.traceId === request?.traceId);
    // One trace: the HTTP server span, the publish (producer) and the processing (consumer) span.
    expect(traced.map((span) => span.kind)).toEqual(expect.arrayContaining([2, 4, 5]));
    expect(traced.map((span) => span.name)).toEqual(expect.arrayContaining(['POST /counters/:id', `publish ${prefix}twenny.events`, `${prefix}catalog-service process`]));
    expect(traced[0]!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'traced-counter-service' } });
  });

  it('without an exporter (as npm start runs), continues the caller\'s trace all the same and carries it over the bus', async () => {
    const { service } = await startTracedService(false);
    const port = await service.port();
    const traceId = 'ab'.repeat(16);
    const response = await fetch(`http://127.0.0.1:${port}/counters/u1`, { method: 'POST', headers: { traceparent: `00-${traceId}-${'cd'.repeat(8)}-01` } });
    expect(response.status).toBe(201);
    const handled = await waitFor('the consumer to handle the message', () => service.lines.find((l) => l.msg === 'counter handled' && l.counterId === 'u1'));
    expect(service.lines.find((l) => l.msg === 'request completed' && l.path === '/counters/u1')?.traceId).toBe(traceId);
    expect(handled.traceId).toBe(traceId);
    // A request that brings no trace starts one.
    await expectOneTracePerCounter(service, ['u2', 'u3', 'u4']);
    expect(await service.stop('SIGTERM')).toBe(0);
  });
});
