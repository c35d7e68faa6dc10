export { infrastructure, type Infrastructure } from './infrastructure.ts';
export { createTestDatabase, serviceDatabaseUrl, type TestDatabase } from './test-database.ts';
export { uniquePrefix } from './unique-prefix.ts';
export { deleteBrokerObjects } from './broker-cleanup.ts';
export { TcpProxy } from './tcp-proxy.ts';
export { captureLogger, type CapturedLogs } from './capture-logger.ts';
export { waitFor } from './wait-for.ts';
export { processAlive } from './process-alive.ts';
