/** Where a local run and the tests find their infrastructure when nothing is configured. */
export const localDefaults = {
  /** A superuser connection: creates the database, the schemas and the service roles. */
  adminDatabaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseName: 'twenny',
  redisUrl: 'redis://127.0.0.1:6379',
  amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
} as const;

/** How to start each dependency on a machine without Docker (Debian packages). */
export const startHints = {
  postgres: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  redis: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  rabbitmq: 'rabbitmq-server -detached',
  docker: 'docker compose up -d postgres redis rabbitmq',
} as const;
