import { loadConfigOrExit } from '@twenny/config';
import { startHttpServer } from '@twenny/http-kit';
import { createProcessContext, runMain } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import { createGateway } from './gateway.ts';
import { requestTimeoutMs } from './routes/route-table.ts';

const name = 'gateway';
const config = loadConfigOrExit(name, configSchema);

runMain(name, async () => {
  const { logger, lifecycle } = createProcessContext({ name, config });
  const { app, redisReady } = createGateway(config, { logger, lifecycle });
  // Rate limits are counted in Redis from the first request when it answers in time; otherwise in memory until it does.
  if (!(await redisReady(2_000))) logger.warn('starting without Redis; rate limits are counted in memory until it connects');
  await startHttpServer(app, { port: config.PORT, host: config.HOST, lifecycle, logger, requestTimeoutMs });
  lifecycle.markReady();
});
