import { loadConfigOrExit } from '@twenny/config';
import { runMain } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import { serviceName, startMediaService } from './service.ts';

const config = loadConfigOrExit(serviceName, configSchema);

runMain(serviceName, () => startMediaService(config));
