/**
 * The baseline of npm run bench:expiry, in a process of its own as the order
 * worker is: a bare BullMQ Worker on its own queue, connected as the order
 * worker connects (one ioredis connection, BullMQ's blocking one duplicated from
 * it), with the same concurrency, doing nothing with each job. The parent adds
 * the delayed jobs and reads when each was processed from Redis.
 * BENCH_REDIS_URL, BENCH_REDIS_PREFIX, BENCH_QUEUE, BENCH_CONCURRENCY.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.BENCH_REDIS_URL!, { maxRetriesPerRequest: null, connectionName: 'bench-expiry-baseline' });
const worker = new Worker(process.env.BENCH_QUEUE!, async () => 'expired', {
  connection,
  prefix: process.env.BENCH_REDIS_PREFIX!,
  concurrency: Number(process.env.BENCH_CONCURRENCY),
});
worker.on('error', (error) => console.error(`baseline worker: ${error.message}`));
await worker.waitUntilReady();
process.send!({ ready: true });

const stop = async () => {
  await worker.close();
  await connection.quit().catch(() => connection.disconnect());
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
