import { serviceEnv } from '@twenny/config';

export const configSchema = serviceEnv({ port: 4002, databaseRole: 'twenny_catalog' });
