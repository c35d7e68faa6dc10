import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createTestDatabase, deleteBrokerObjects, infrastructure, uniquePrefix, waitFor, type TestDatabase } from '@twenny/testing';
import { topologyNames } from '@twenny/messaging';
import { startProcess, type RunningProcess } from './platform-process.ts';

let database: TestDatabase;
let service: RunningProcess;
let prefix: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const sql = postgres(database.urlFor('catalog-service'), { max: 1 });
  await sql`create table catalog.counters (id text primary key, handled int not null default 0)`;
  await sql.end();
  prefix = `${uniquePrefix()}.`;
  service = startProcess('test', 'fixtures/traced-counter-service.ts', {
    DATABASE_URL: database.urlFor('catalog-service'),
    AMQP_URL: (await infrastructure()).amqpUrl,
    AMQP_PREFIX: prefix,
    PORT: '0',
    HOST: '127.0.0.1',
  });
});

afterAll(async () => {
  await service?.stop();
  const names = topologyNames(prefix);
  const { amqpUrl } = await infrastructure();
  await deleteBrokerObjects(amqpUrl, {
    exchanges: [names.exchange],
    queues: [names.queue('catalog-service'), names.deadLetterQueue('catalog-service'), ...[1000, 10000, 60000].map((ms) => names.retryQueue('catalog-service', ms))],
  });
  await database?.drop();
});

describe('one trace from an HTTP request, through the outbox and the bus, to the consumer', () => {
  it('gives the request log line and the consumer log line the same trace id', async () => {
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
  });
});
