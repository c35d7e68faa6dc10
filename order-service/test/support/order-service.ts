import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { catalogEventFixture, eventPublishedV1 } from '@twenny/contracts';
import { loadConfig } from '@twenny/config';
import { connectDatabase, type Database } from '@twenny/db';
import { createLifecycle } from '@twenny/lifecycle';
import { captureLogger, createTestDatabase, createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, publishOnBus, uniquePrefix, waitFor, type TestDatabase, type TestIssuer } from '@twenny/testing';
import { configSchema, workerConfigSchema, type WorkerConfig } from '../../src/config.ts';
import { createPaymentProvider } from '../../src/payments/create-provider.ts';
import { connectHoldsDatabase } from '../../src/db/holds-database.ts';
import { createMailer } from '@twenny/mail';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import type { Lifecycle } from '@twenny/lifecycle';
import { createJobHandlers } from '../../src/jobs/handlers.ts';
import { startOrderWorker } from '../../src/jobs/start-worker.ts';
import { startOrderService } from '../../src/service.ts';

export type Snapshot = typeof catalogEventFixture;

export interface TestOrderService {
  url: string;
  issuer: TestIssuer;
  database: TestDatabase;
  /** A pool of the test's own on the service's database, as the service's role. */
  sql: Database['sql'];
  environment: Record<string, string>;
  prefix: string;
  redisPrefix: string;
  amqpUrl: string;
  redisUrl: string;
  logs: Array<Record<string, unknown>>;
  service: Awaited<ReturnType<typeof startOrderService>>;
  /** A buyer's bearer token. */
  tokenFor(userId: string, orgs?: Array<{ id: string; role: 'owner' | 'admin' | 'member' }>): Promise<string>;
  /** Puts an event on sale as catalog would (its message on the bus) and waits until it is sellable. */
  publishEvent(overrides?: Partial<Snapshot>, version?: number): Promise<Snapshot>;
  /** Starts the BullMQ worker in this process; stop() it to simulate a worker that is down. */
  startWorker(environment?: Record<string, string>): Promise<{ stop(): Promise<void>; logs: Array<Record<string, unknown>> }>;
  stop(): Promise<void>;
}

/**
 * order-service in this process on a free port, with its own database, bus
 * prefix and Redis prefix, trusting a test token issuer.
 */
export async function startTestOrderService(environment: Record<string, string> = {}): Promise<TestOrderService> {
  const { amqpUrl, redisUrl } = await infrastructure();
  const database = await createTestDatabase();
  const issuer = await createTestIssuer();
  const jwks = await issuer.serve();
  const prefix = `${uniquePrefix()}.`;
  const redisPrefix = uniquePrefix();
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.urlFor('order-service'),
    AMQP_URL: amqpUrl,
    AMQP_PREFIX: prefix,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    AUTH_JWKS_URL: jwks.url,
    AUTH_JWT_ISSUER: issuer.issuer,
    AUTH_JWT_AUDIENCE: issuer.audience,
    ORDER_INVENTORY_PUBLISH_MS: '50',
    ...environment,
  };
  const { logger, lines } = captureLogger('order-service', 'info');
  const service = await startOrderService(loadConfig(configSchema, env), { handleSignals: false, logger });
  const pool = connectDatabase({ url: database.urlFor('order-service'), max: 8, applicationName: 'order-service-test' });
  const workers = new Set<() => Promise<void>>();

  return {
    url: service.http.url,
    issuer,
    database,
    sql: pool.sql,
    environment: env,
    prefix,
    redisPrefix,
    amqpUrl,
    redisUrl,
    logs: lines,
    service,
    tokenFor: (userId, orgs = []) => issuer.sign({ sub: userId, email: `${userId}@example.test`, role: 'user', orgs }),
    async publishEvent(overrides = {}, version = 1) {
      const eventId = overrides.eventId ?? randomUUID();
      const snapshot: Snapshot = {
        ...catalogEventFixture,
        slug: `event-${eventId}`,
        startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 30 * 86_400_000 + 4 * 3_600_000).toISOString(),
        ticketTypes: [{ ...catalogEventFixture.ticketTypes[0]!, ticketTypeId: randomUUID(), salesEndAt: null, capacity: 100 }],
        ...overrides,
        eventId,
      };
      await publishOnBus(amqpUrl, prefix, { id: randomUUID(), type: eventPublishedV1.type, source: 'catalog-service', time: new Date().toISOString(), subject: eventId, version, data: snapshot });
      await waitFor('the event to reach the inventory', async () => {
        const [row] = await pool.sql`select version from orders.events where event_id = ${eventId}`;
        return row && row.version >= version;
      });
      return snapshot;
    },
    async startWorker(workerEnvironment = {}) {
      const { logger: workerLogger, lines: workerLines } = captureLogger('order-worker', 'info');
      const lifecycle = createLifecycle({ logger: workerLogger, timeoutMs: 10_000 });
      const config = loadConfig(workerConfigSchema, { ...env, WORKER_PORT: '0', ...workerEnvironment });
      const workerDatabase = connectDatabase({ url: config.DATABASE_URL, max: 3, applicationName: 'order-worker-test' }) as Database<Record<string, unknown>>;
      lifecycle.onStop('database pool', () => workerDatabase.close(), 'connections');
      await startOrderWorker({ config, handlers: createJobHandlers(workerJobDeps(workerDatabase, workerLogger, config, lifecycle)), logger: workerLogger, lifecycle });
      const stop = () => lifecycle.stop('test');
      workers.add(stop);
      return { logs: workerLines, stop: async () => (workers.delete(stop), await stop()) };
    },
    async stop() {
      for (const stop of workers) await stop();
      await service.stop();
      await pool.close();
      await jwks.close();
      await deleteTestTopology(amqpUrl, prefix);
      await deleteRedisKeys(redisUrl, redisPrefix);
      await database.drop();
    },
  };
}

/** What the worker's job handlers are given, as worker.ts builds it. */
export function workerJobDeps(database: Database<Record<string, unknown>>, logger: Logger, config: WorkerConfig, lifecycle: Lifecycle) {
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
  const provider = createPaymentProvider(config, { db: database.db as unknown as DbExecutor, logger, webhookUrl: () => config.PAYMENT_WEBHOOK_URL ?? 'http://127.0.0.1:9/unused' });
  lifecycle.onStop('mailer', () => mailer.close(), 'connections');
  lifecycle.onStop('payment provider', () => provider.close(), 'workers');
  return { database, holdsDb: connectHoldsDatabase(config, 'order-worker-test', lifecycle), logger, mailer, provider, ticketKeys: config.TICKET_SIGNING_KEYS, reconcileAfterMs: config.ORDER_PAYMENT_RECONCILE_AFTER_MS, siteUrl: config.PUBLIC_SITE_URL };
}

/** Redis as BullMQ sees it under the test's prefix. */
export function testRedis(redisUrl: string) {
  return new Redis(redisUrl);
}
