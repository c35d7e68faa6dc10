import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@twenny/config';
import { runMain, startService } from '@twenny/service-kit';
import { configSchema } from './config.ts';
import * as schema from './db/schema.ts';

const name = 'auth-service';
const config = loadConfigOrExit(name, configSchema);

runMain(name, () =>
  startService({
    name,
    config,
    dbSchema: 'auth',
    schema,
    tables: schema,
    migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
    handlers: [],
    routes: () => {},
  }),
);
