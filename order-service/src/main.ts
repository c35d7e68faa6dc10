import { loadConfigOrExit } from '@twenny/config';
import { runMain } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import { serviceName, startOrderService } from './service.ts';

const config = loadConfigOrExit(serviceName, configSchema);

runMain(serviceName, () => startOrderService(config));
