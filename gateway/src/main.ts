import { loadConfigOrExit } from '@twenny/config';
import { startHttpServer } from '@twenny/http-kit';
import { createLifecycle } from '@twenny/lifecycle';
import { createLogger } from '@twenny/logger';
import { runMain } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import { createGatewayApp } from './http/app.ts';
import { upstreams } from './upstreams.ts';

const name = 'gateway';
const config = loadConfigOrExit(name, configSchema);

runMain(name, async () => {
  const logger = createLogger({ service: name, level: config.LOG_LEVEL });
  const lifecycle = createLifecycle({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  lifecycle.handleSignals();
  const app = createGatewayApp({ logger, lifecycle, upstreams: upstreams(config) });
  await startHttpServer(app, { port: config.PORT, host: config.HOST, lifecycle, logger });
  lifecycle.markReady();
});
