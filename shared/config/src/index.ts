export { loadConfig, loadConfigOrExit, ConfigError } from './load-config.ts';
export { env } from './env-fields.ts';
export { serviceEnv, type ServiceEnv } from './service-env.ts';
export { identityEnv } from './identity-env.ts';
