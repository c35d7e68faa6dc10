import { loadConfigOrExit } from '@twenny/config';
import { startHttpServer } from '@twenny/http-kit';
import { createProcessContext, runMain } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import { createGatewayApp } from './http/app.ts';
import { upstreams } from './upstreams.ts';

const name = 'gateway';
const config = loadConfigOrExit(name, configSchema);

runMain(name, async () => {
  const { logger, lifecycle } = createProcessContext({ name, config });
  const app = createGatewayApp({ logger, lifecycle, upstreams: upstreams(config) });
  await startHttpServer(app, { port: config.PORT, host: config.HOST, lifecycle, logger });
  lifecycle.markReady();
});
