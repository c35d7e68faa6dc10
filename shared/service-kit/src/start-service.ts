import type { Express } from 'express';
import type { ServiceEnv } from '@twenny/config';
import { connectDatabase, runMigrations, type Database } from '@twenny/db';
import { createHttpApp, startHttpServer, type ReadinessCheck, type RunningServer } from '@twenny/http-kit';
import type { Lifecycle } from '@twenny/lifecycle';
import { safeUrl, type Logger } from '@twenny/logger';
import { createProcessContext } from './process-context.ts';
import { startMessaging, type MessageHandler, type Messaging, type MessagingTables } from '@twenny/messaging';

/** What a service's routes and use cases are given. */
export interface ServiceContext<TSchema extends Record<string, unknown>> {
  name: string;
  logger: Logger;
  lifecycle: Lifecycle;
  database: Database<TSchema>;
  messaging: Messaging;
}

export interface StartServiceOptions<TSchema extends Record<string, unknown>> {
  name: string;
  config: ServiceEnv;
  /** The Postgres schema the service owns; its migrations keep their table there. */
  dbSchema: string;
  schema: TSchema;
  /** Run-time Postgres settings for the service's connections (e.g. an extension's threshold). */
  databaseSettings?: Record<string, string>;
  tables: MessagingTables;
  migrationsFolder: string;
  handlers: MessageHandler[];
  /** Runs once the database and bus are up, before HTTP: build clients the routes need here. */
  init?: (context: ServiceContext<TSchema>) => Promise<void> | void;
  /** Routes that parse their own bodies (see createHttpApp). */
  rawBodyRoutes?: (app: Express, context: ServiceContext<TSchema>) => void;
  routes: (app: Express, context: ServiceContext<TSchema>) => void;
  /** How long a client may take to send a whole request (http-kit's 30 s by default). */
  requestTimeoutMs?: number;
  /** Express `trust proxy`: the hops whose X-Forwarded-For is believed (TRUSTED_PROXIES). */
  trustProxy?: string;
  /** The service's OpenAPI document (served at /openapi.json, merged by the gateway). */
  openapi?: () => object;
  readiness?: ReadinessCheck[];
  /** Override the platform subscription table (tests). */
  subscriptions?: Record<string, readonly string[]>;
  retryDelaysMs?: readonly number[];
  /** False where a separate worker prunes outbox and inbox rows. */
  pruneInProcess?: boolean;
}

export interface RunningService<TSchema extends Record<string, unknown>> extends ServiceContext<TSchema> {
  http: RunningServer;
  stop(): Promise<void>;
}

/**
 * The composition every back-end service shares: logger → database (own role,
 * own schema) → migrations → bus (topology, outbox relay, inbox consumer) → HTTP
 * → ready. Shutdown is the reverse, bounded by SHUTDOWN_TIMEOUT_MS. The caller
 * decides whether signals end the process (`handleSignals`).
 */
export async function startService<TSchema extends Record<string, unknown>>(
  options: StartServiceOptions<TSchema>,
  { handleSignals = true, logger: givenLogger }: { handleSignals?: boolean; logger?: Logger } = {},
): Promise<RunningService<TSchema>> {
  const { name, config } = options;
  const { logger, lifecycle } = createProcessContext({ name, config, handleSignals, logger: givenLogger });

  const database = connectDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE, applicationName: name, logger, schema: options.schema, settings: options.databaseSettings });
  lifecycle.onStop('database pool', () => database.close(), 'connections');
  try {
    await database.ping();
  } catch (error) {
    throw new Error(`${name}: cannot reach Postgres at ${safeUrl(config.DATABASE_URL)}: ${(error as Error).message}`, { cause: error });
  }
  await runMigrations(database as unknown as Database<Record<string, unknown>>, { folder: options.migrationsFolder, schema: options.dbSchema });

  const messaging = await startMessaging({
    service: name,
    amqpUrl: config.AMQP_URL,
    prefix: config.AMQP_PREFIX,
    prefetch: config.AMQP_PREFETCH,
    retentionHours: config.MESSAGE_RETENTION_HOURS,
    deadLetterRetentionHours: config.DEAD_LETTER_RETENTION_HOURS,
    database: database as unknown as Database<Record<string, unknown>>,
    tables: options.tables,
    handlers: options.handlers,
    logger,
    lifecycle,
    subscriptions: options.subscriptions,
    retryDelaysMs: options.retryDelaysMs,
    pruneInProcess: options.pruneInProcess,
  });

  const context: ServiceContext<TSchema> = { name, logger, lifecycle, database, messaging };
  await options.init?.(context);
  const app = createHttpApp({
    logger,
    lifecycle,
    readiness: [{ name: 'postgres', check: () => database.ping() }, messaging.readinessCheck, ...(options.readiness ?? [])],
    trustProxy: options.trustProxy,
    rawBodyRoutes: options.rawBodyRoutes && ((app) => options.rawBodyRoutes!(app, context)),
    routes: (app) => options.routes(app, context),
    openapi: options.openapi ?? (() => emptyApiDocument(name)),
  });
  const http = await startHttpServer(app, { port: config.PORT, host: config.HOST, lifecycle, logger, requestTimeoutMs: options.requestTimeoutMs });
  lifecycle.markReady();
  logger.info({ port: http.port }, 'ready');
  return { ...context, http, stop: () => lifecycle.stop('stop() called') };
}

/** A service with no public API yet still answers the gateway's document merge. */
function emptyApiDocument(name: string) {
  return { openapi: '3.1.0', info: { title: name, version: '1' }, paths: {} };
}
