import { localDefaults, probePostgres, probeRabbitmq, probeRedis } from '@twenny/dev-infra';

export interface Infrastructure {
  /** A superuser URL (any database of the cluster). */
  adminDatabaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
}

let resolved: Promise<Infrastructure> | undefined;

/**
 * Where the tests find Postgres, Redis and RabbitMQ: the URL from the environment
 * if set (TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL, TEST_AMQP_URL), otherwise the
 * local default if it answers, otherwise a container started by testcontainers.
 */
export function infrastructure(): Promise<Infrastructure> {
  resolved ??= resolve();
  return resolved;
}

async function resolve(): Promise<Infrastructure> {
  const [adminDatabaseUrl, redisUrl, amqpUrl] = await Promise.all([
    pick(process.env.TEST_DATABASE_ADMIN_URL, localDefaults.adminDatabaseUrl, probePostgres, startPostgres),
    pick(process.env.TEST_REDIS_URL, localDefaults.redisUrl, probeRedis, startRedis),
    pick(process.env.TEST_AMQP_URL, localDefaults.amqpUrl, probeRabbitmq, startRabbitmq),
  ]);
  return { adminDatabaseUrl, redisUrl, amqpUrl };
}

async function pick(
  fromEnv: string | undefined,
  local: string,
  probe: (url: string) => Promise<{ ok: boolean }>,
  startContainer: () => Promise<string>,
): Promise<string> {
  if (fromEnv) return fromEnv;
  if ((await probe(local)).ok) return local;
  return startContainer();
}

// Containers live as long as the test worker; testcontainers' reaper removes them after.
async function startPostgres(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
  return container.getConnectionUri();
}

async function startRedis(): Promise<string> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  return container.getConnectionUrl();
}

async function startRabbitmq(): Promise<string> {
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const container = await new RabbitMQContainer('rabbitmq:3.13-alpine').start();
  return container.getAmqpUrl();
}
