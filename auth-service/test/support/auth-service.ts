import { loadConfig } from '@twenny/config';
import {
  captureLogger,
  createTestDatabase,
  deleteRedisKeys,
  deleteTestTopology,
  infrastructure,
  startSmtpCapture,
  uniquePrefix,
  type SmtpCapture,
  type TestDatabase,
} from '@twenny/testing';
import { configSchema } from '../../src/config.ts';
import { startAuthService } from '../../src/service.ts';

export interface TestAuthService {
  url: string;
  smtp: SmtpCapture;
  database: TestDatabase;
  service: Awaited<ReturnType<typeof startAuthService>>;
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * auth-service in this process, on a free port, with its own database, bus
 * prefix, Redis prefix and a capturing SMTP server.
 */
export async function startTestAuthService(environment: Record<string, string> = {}): Promise<TestAuthService> {
  const { amqpUrl, redisUrl } = await infrastructure();
  const database = await createTestDatabase();
  const smtp = await startSmtpCapture();
  const prefix = uniquePrefix();
  const config = loadConfig(configSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.urlFor('auth-service'),
    AMQP_URL: amqpUrl,
    AMQP_PREFIX: `${prefix}.`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SMTP_URL: smtp.url,
    ...environment,
  });
  const { logger, lines } = captureLogger('auth-service', 'info');
  const service = await startAuthService(config, { handleSignals: false, logger });
  return {
    url: service.http.url,
    smtp,
    database,
    service,
    logs: lines,
    async stop() {
      await service.stop();
      await smtp.close();
      await deleteTestTopology(amqpUrl, `${prefix}.`);
      await deleteRedisKeys(redisUrl, prefix);
      await database.drop();
    },
  };
}
