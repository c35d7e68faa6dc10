import { loadConfig } from '@twenny/config';
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

export { listenOnBus, publishOnBus } from '@twenny/testing';
