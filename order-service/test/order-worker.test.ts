import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { connectDatabase, type Database } from '@twenny/db';
import { createLifecycle } from '@twenny/lifecycle';
import { captureLogger, createTestDatabase, infrastructure, uniquePrefix, waitFor, type TestDatabase } from '@twenny/testing';
import { loadConfig } from '@twenny/config';
import { workerConfigSchema } from '../src/config.ts';
import { assertEveryJobHasAHandler } from '@twenny/jobs';
import { createJobHandlers } from '../src/jobs/handlers.ts';
import { orderJobNames, orderQueueName } from '../src/jobs/job-types.ts';
import { startOrderWorker } from '../src/jobs/start-worker.ts';
import { workerJobDeps } from './support/order-service.ts';

let testDatabase: TestDatabase;
let database: Database<Record<string, unknown>>;
const prefix = uniquePrefix();

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = connectDatabase({ url: testDatabase.urlFor('order-service'), max: 2, applicationName: 'order-worker-test' });
});

afterAll(async () => {
  await database?.close();
  const redis = new Redis((await infrastructure()).redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await testDatabase?.drop();
});

describe('order worker', () => {
  it('refuses to start when a job has no handler', () => {
    expect(() => assertEveryJobHasAHandler(orderJobNames, {})).toThrow('no handler for job(s): prune-messaging-tables, expire-reservation, sweep-expired-holds, send-mail, catch-up');
  });

  it('schedules and runs the pruning job on the real Redis, then closes cleanly', async () => {
    const { redisUrl } = await infrastructure();
    await database.sql`insert into orders.inbox (consumer, message_id, type, received_at) values ('c', gen_random_uuid(), 't', now() - interval '10 days')`;
    const { logger, lines } = captureLogger('order-worker');
    const lifecycle = createLifecycle({ logger, timeoutMs: 10_000 });
    const config = loadConfig(workerConfigSchema, { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, MESSAGE_RETENTION_HOURS: '24' });
    const worker = await startOrderWorker({ config, handlers: createJobHandlers(workerJobDeps(database, logger, config, lifecycle)), logger, lifecycle });

    // The scheduler's first run is due now.
    await waitFor('the pruning job to run', () => lines.find((l) => l.msg === 'pruned old outbox and inbox rows'));
    const [left] = await database.sql<{ n: number }[]>`select count(*)::int as n from orders.inbox`;
    expect(left!.n).toBe(0);
    const schedulers = await worker.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key ?? s.id)).toContain('prune-messaging-tables');
    await lifecycle.stop('test');
    expect(lines.filter((l) => l.msg === 'shutdown step failed')).toEqual([]);
  });

  it('fails an unknown job without stopping the worker', async () => {
    const { redisUrl } = await infrastructure();
    const { logger, lines } = captureLogger('order-worker');
    const lifecycle = createLifecycle({ logger, timeoutMs: 10_000 });
    const config = loadConfig(workerConfigSchema, { REDIS_URL: redisUrl, REDIS_PREFIX: prefix });
    const worker = await startOrderWorker({ config, handlers: createJobHandlers(workerJobDeps(database, logger, config, lifecycle)), logger, lifecycle });
    const events = new QueueEvents(orderQueueName, { connection: { url: redisUrl }, prefix });
    await events.waitUntilReady();
    const job = await worker.queue.add('no-such-job', { anything: true });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('unknown job no-such-job');
    expect(await worker.readinessCheck.check()).toBeUndefined();
    await events.close();
    await lifecycle.stop('test');
    expect(lines.some((l) => l.msg === 'job failed')).toBe(true);
  });
});
