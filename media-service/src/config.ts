import { serviceEnv } from '@twenny/config';

export const configSchema = serviceEnv({ port: 4004, databaseRole: 'twenny_media' });
