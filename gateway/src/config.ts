import { z } from 'zod';
import { env } from '@twenny/config';

const upstream = (port: number) => env.url(['http:', 'https:'], `http://127.0.0.1:${port}`);

export const configSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  PORT: env.port(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  AUTH_SERVICE_URL: upstream(4001),
  CATALOG_SERVICE_URL: upstream(4002),
  ORDER_SERVICE_URL: upstream(4003),
  MEDIA_SERVICE_URL: upstream(4004),
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, { min: 100, max: 120_000 }),
  SHUTDOWN_DRAIN_DELAY_MS: env.int(0, { min: 0, max: 60_000 }),
});

export type GatewayConfig = z.output<typeof configSchema>;
