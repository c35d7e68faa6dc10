import { startHttpServer } from '@twenny/http-kit';
import { createLifecycle } from '@twenny/lifecycle';
import { captureLogger, deleteRedisKeys, infrastructure, uniquePrefix, type CapturedLogs } from '@twenny/testing';
import { configSchema, type GatewayConfig } from '../../src/config.ts';
import { createGateway } from '../../src/gateway.ts';

export interface RunningGateway {
  url: string;
  config: GatewayConfig;
  logs: CapturedLogs['lines'];
  stop(): Promise<void>;
}

/**
 * The gateway as main.ts composes it, on a free port, against the real Redis
 * under a key prefix of its own. `env` is what the process environment would
 * hold; unset upstreams point at a closed port.
 */
export async function startGateway(env: Record<string, string | undefined>): Promise<RunningGateway> {
  const { redisUrl } = await infrastructure();
  const config = configSchema.parse({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: uniquePrefix(),
    AUTH_SERVICE_URL: 'http://127.0.0.1:1',
    CATALOG_SERVICE_URL: 'http://127.0.0.1:1',
    ORDER_SERVICE_URL: 'http://127.0.0.1:1',
    MEDIA_SERVICE_URL: 'http://127.0.0.1:1',
    AUTH_JWKS_URL: 'http://127.0.0.1:1/jwks',
    UPSTREAM_TIMEOUT_MS: '2000',
    ...env,
  });
  const { logger, lines } = captureLogger('gateway');
  const lifecycle = createLifecycle({ logger, timeoutMs: 5_000 });
  const { app, redisReady } = createGateway(config, { logger, lifecycle });
  await redisReady(5_000);
  const running = await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger, drainMs: 500 });
  lifecycle.markReady();
  return {
    url: running.url,
    config,
    logs: lines,
    async stop() {
      await lifecycle.stop('test done');
      await deleteRedisKeys(redisUrl, `${config.REDIS_PREFIX}:`);
    },
  };
}
