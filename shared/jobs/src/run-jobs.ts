import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { within, type Lifecycle } from '@twenny/lifecycle';
import { safeUrl, type Logger } from '@twenny/logger';

/** A job's handler: its typed payload, and which attempt this is (the last may give up for good). */
export type JobHandler<TData> = (data: TData, attempt: { made: number; allowed: number }) => Promise<unknown>;

/**
 * The start-up completeness check: every job name has a handler, or the worker
 * does not start (a job nobody can run would otherwise fail quietly, forever).
 */
export function assertEveryJobHasAHandler(names: readonly string[], handlers: Record<string, unknown>): void {
  const missing = names.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}

/**
 * A worker process's Redis connection: BullMQ needs `maxRetriesPerRequest: null`
 * for its blocking commands. Fails fast, naming the URL (without its password),
 * when Redis is out of reach at start-up; closed last at shutdown.
 */
export async function connectWorkerRedis(options: { url: string; name: string; logger: Logger; lifecycle: Lifecycle }): Promise<Redis> {
  const connection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: options.name });
  connection.on('error', (error) => options.logger.warn({ err: error }, 'redis error'));
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect(); // no reconnecting in the background of a process that is about to stop
    throw new Error(`cannot reach Redis at ${safeUrl(options.url)}: ${(error as Error).message}`, { cause: error });
  }
  options.lifecycle.onStop('redis', () => connection.quit().then(() => undefined, () => connection.disconnect()), 'connections');
  return connection;
}

/**
 * Runs a queue's jobs, `concurrency` at once. Handlers are looked up by the
 * job's name (checked complete first); an unknown name fails that job, never
 * the worker. Returns the queue too, for schedules and re-queueing (or uses
 * the one given, whose owner closes it: handlers may need it before this runs).
 */
export function runJobs<THandlers extends Record<string, JobHandler<never>>>(options: {
  queueName: string;
  jobNames: readonly string[];
  handlers: THandlers;
  connection: Redis;
  prefix: string;
  concurrency: number;
  queue?: Queue;
  logger: Logger;
  lifecycle: Lifecycle;
}) {
  const { queueName, handlers, connection, prefix, logger, lifecycle } = options;
  assertEveryJobHasAHandler(options.jobNames, handlers);
  const queue = options.queue ?? new Queue(queueName, { connection, prefix });
  const worker = new Worker(
    queueName,
    async (job: Job) => {
      const handler = handlers[job.name] as JobHandler<unknown> | undefined;
      if (!handler) throw new Error(`unknown job ${job.name}`);
      return handler(job.data, { made: job.attemptsMade, allowed: job.opts.attempts ?? 1 });
    },
    { connection, prefix, concurrency: options.concurrency },
  );
  worker.on('failed', (job, error) => logger.warn({ err: error, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  lifecycle.onStop('bullmq worker', () => worker.close(), 'workers');
  if (!options.queue) lifecycle.onStop('bullmq queue', () => queue.close(), 'connections');
  return { queue, worker };
}

/**
 * Keeps recurring jobs scheduled (BullMQ Job Schedulers: one per name, however
 * many workers upsert it). `everyMs` 0 removes that schedule.
 */
export async function keepScheduled(queue: Queue, schedules: ReadonlyArray<{ name: string; everyMs: number; data?: object }>): Promise<void> {
  for (const { name, everyMs, data = {} } of schedules) {
    if (everyMs > 0) await queue.upsertJobScheduler(name, { every: everyMs }, { name, data, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    else await queue.removeJobScheduler(name);
  }
}

/** How long a request waits for Redis to take a job: BullMQ's `add` waits for a connection that was never up rather than failing. */
export const queueAddTimeoutMs = 1000;

/**
 * An HTTP service's handle on a queue: it only adds jobs, a worker process runs
 * them. Redis being away never fails or holds up a request: `add` gives up
 * after `queueAddTimeoutMs` (the caller logs it; the worker's sweeps catch up).
 */
export function connectJobQueue(options: { queueName: string; url: string; prefix: string; name: string; logger: Logger; lifecycle: Lifecycle }) {
  const { logger } = options;
  const connection = new Redis(options.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: options.name, lazyConnect: true });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  void connection.connect().catch(() => undefined);
  const queue = new Queue(options.queueName, { connection, prefix: options.prefix });
  queue.on('error', (error) => logger.warn({ err: error }, `${options.queueName} queue error`));
  options.lifecycle.onStop(`${options.queueName} queue`, () => queue.close(), 'connections');
  options.lifecycle.onStop('redis', () => connection.quit().then(() => undefined, () => connection.disconnect()), 'connections');
  return {
    queue,
    add: (name: string, data: object, opts: JobsOptions) => within(queue.add(name, data, opts), queueAddTimeoutMs, 'Redis'),
    readinessCheck: { name: 'redis', optional: true, check: async () => void (await connection.ping()) },
  };
}
