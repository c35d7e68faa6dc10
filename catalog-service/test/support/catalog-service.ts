import amqp from 'amqplib';
import { loadConfig } from '@twenny/config';
import { topologyNames } from '@twenny/messaging';
import { captureLogger, createTestDatabase, createTestIssuer, deleteTestTopology, infrastructure, uniquePrefix, type TestDatabase, type TestIssuer } from '@twenny/testing';
import { configSchema } from '../../src/config.ts';
import { startCatalogService } from '../../src/service.ts';

export interface TestCatalogService {
  url: string;
  issuer: TestIssuer;
  jwksUrl: string;
  database: TestDatabase;
  prefix: string;
  amqpUrl: string;
  service: Awaited<ReturnType<typeof startCatalogService>>;
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * catalog-service in this process on a free port, with its own database and bus
 * prefix, trusting a test token issuer (auth-service's stand-in) served over HTTP.
 */
export async function startTestCatalogService(environment: Record<string, string> = {}): Promise<TestCatalogService> {
  const { amqpUrl } = await infrastructure();
  const database = await createTestDatabase();
  const issuer = await createTestIssuer();
  const jwks = await issuer.serve();
  const prefix = uniquePrefix();
  const config = loadConfig(configSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.urlFor('catalog-service'),
    AMQP_URL: amqpUrl,
    AMQP_PREFIX: `${prefix}.`,
    AUTH_JWKS_URL: jwks.url,
    AUTH_JWT_ISSUER: issuer.issuer,
    AUTH_JWT_AUDIENCE: issuer.audience,
    ...environment,
  });
  const { logger, lines } = captureLogger('catalog-service', 'info');
  const service = await startCatalogService(config, { handleSignals: false, logger });
  return {
    url: service.http.url,
    issuer,
    jwksUrl: jwks.url,
    database,
    prefix: `${prefix}.`,
    amqpUrl,
    service,
    logs: lines,
    async stop() {
      await service.stop();
      await jwks.close();
      await deleteTestTopology(amqpUrl, `${prefix}.`);
      await database.drop();
    },
  };
}

/** A queue of the test's own on the bus, bound to `pattern`: what a subscriber would receive. */
export async function listenOnBus(amqpUrl: string, prefix: string, pattern: string) {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, topologyNames(prefix).exchange, pattern);
  const received: Array<{ type: string; subject: string; version: number; data: Record<string, unknown> }> = [];
  await channel.consume(queue, (message) => {
    if (message) received.push(JSON.parse(message.content.toString('utf8')));
  }, { noAck: true });
  return { received, close: () => connection.close() };
}

/** Publishes an envelope on the bus as another service's relay would. */
export async function publishOnBus(amqpUrl: string, prefix: string, envelope: { id: string; type: string; [key: string]: unknown }) {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  channel.publish(topologyNames(prefix).exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId: envelope.id, type: envelope.type, contentType: 'application/json', persistent: true });
  await channel.waitForConfirms();
  await connection.close();
}
