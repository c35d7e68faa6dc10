import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deleteBrokerObjects, infrastructure, uniquePrefix, type TestDatabase } from '@twenny/testing';
import { subscriptions } from '@twenny/contracts';
import { defaultRetryDelaysMs, topologyNames } from '@twenny/messaging';
import { startProcess } from './platform-process.ts';

const services = [
  { cwd: 'auth-service', entry: 'src/main.ts' },
  { cwd: 'catalog-service', entry: 'src/main.ts' },
  { cwd: 'order-service', entry: 'src/main.ts' },
  { cwd: 'order-service', entry: 'src/worker.ts' },
  { cwd: 'media-service', entry: 'src/main.ts' },
  { cwd: 'media-service', entry: 'src/worker.ts' },
  { cwd: 'gateway', entry: 'src/main.ts' },
];

describe('a service started with a malformed variable', () => {
  it.each([
    ['catalog-service', 'src/main.ts', 'DATABASE_URL', 'nonsense'],
    ['order-service', 'src/main.ts', 'AMQP_URL', 'http://not-amqp'],
    ['order-service', 'src/worker.ts', 'REDIS_URL', 'localhost:6379'],
    ['gateway', 'src/main.ts', 'CATALOG_SERVICE_URL', 'ftp://x'],
    ['auth-service', 'src/main.ts', 'PORT', '-1'],
  ])('%s %s exits non-zero with one line naming %s', async (cwd, entry, variable, value) => {
    const started = startProcess(cwd, entry, { [variable]: value });
    const code = await started.exited;
    expect(code).not.toBe(0);
    expect(started.stderr).toHaveLength(1);
    expect(started.stderr[0]).toContain(variable);
    // The value itself is never echoed: it may be a URL with a password in it.
    expect(started.stderr[0]).not.toContain(value);
    expect(started.lines).toEqual([]);
  });
});

describe('every service boots for real and stops cleanly', () => {
  let database: TestDatabase;
  const prefix = `${uniquePrefix()}.`;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    const { amqpUrl, redisUrl } = await infrastructure();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}bull:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    const names = topologyNames(prefix);
    await deleteBrokerObjects(amqpUrl, {
      exchanges: [names.exchange],
      queues: Object.keys(subscriptions).flatMap((c) => [names.queue(c), names.deadLetterQueue(c), ...defaultRetryDelaysMs.map((ms) => names.retryQueue(c, ms))]),
    });
    await database?.drop();
  });

  // Seven processes boot and stop: give a loaded two-core machine time.
  it('serves /health/live and /health/ready, then exits 0 on SIGTERM', { timeout: 90_000 }, async () => {
    const { amqpUrl, redisUrl } = await infrastructure();
    const running = services.map(({ cwd, entry }) =>
      startProcess(cwd, entry, {
        PORT: '0',
        WORKER_PORT: '0',
        HOST: '127.0.0.1',
        ...(cwd === 'gateway' ? {} : { DATABASE_URL: database.urlFor(cwd) }),
        AMQP_URL: amqpUrl,
        AMQP_PREFIX: prefix,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: `${prefix}bull`,
      }),
    );
    try {
      for (const [index, process] of running.entries()) {
        const port = await process.port();
        const live = await fetch(`http://127.0.0.1:${port}/health/live`);
        expect(live.status, services[index]!.entry).toBe(200);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status, `${services[index]!.cwd} ${services[index]!.entry}: ${await ready.clone().text()}`).toBe(200);
      }
    } finally {
      const codes = await Promise.all(running.map((p) => p.stop('SIGTERM')));
      expect(codes).toEqual(services.map(() => 0));
      for (const process of running) expect(process.lines.map((l) => l.msg)).toContain('stopped');
    }
  });
});
