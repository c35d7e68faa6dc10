import { serviceEnv } from '@twenny/config';

export const configSchema = serviceEnv({ port: 4001, databaseRole: 'twenny_auth' });
