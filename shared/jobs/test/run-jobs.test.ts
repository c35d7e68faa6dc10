import { afterAll, describe, expect, it } from 'vitest';
import { createLifecycle } from '@twenny/lifecycle';
import { captureLogger, deleteRedisKeys, infrastructure, uniquePrefix, waitFor } from '@twenny/testing';
import { assertEveryJobHasAHandler, connectJobQueue, connectWorkerRedis, keepScheduled, queueAddTimeoutMs, runJobs } from '../src/index.ts';

const prefix = uniquePrefix();

afterAll(async () => {
  await deleteRedisKeys((await infrastructure()).redisUrl, prefix);
});

describe('assertEveryJobHasAHandler', () => {
  it('names every job without a handler', () => {
    expect(() => assertEveryJobHasAHandler(['a', 'b', 'c'], { b: async () => undefined })).toThrow('no handler for job(s): a, c');
    expect(() => assertEveryJobHasAHandler(['a'], { a: async () => undefined })).not.toThrow();
  });
});

describe('runJobs on the real Redis', () => {
  it('runs each job by its name with its attempt, fails an unknown one without stopping, and keeps schedules', async () => {
    const { logger, lines } = captureLogger('jobs-test');
    const lifecycle = createLifecycle({ logger, timeoutMs: 5_000 });
    const seen: Array<{ data: unknown; attempt: unknown }> = [];
    const connection = await connectWorkerRedis({ url: (await infrastructure()).redisUrl, name: 'jobs-test', logger, lifecycle });
    const { queue } = runJobs({
      queueName: 'test-jobs',
      jobNames: ['greet'],
      handlers: { greet: async (data: { name: string }, attempt) => void seen.push({ data, attempt }) },
      connection,
      prefix,
      concurrency: 2,
      logger,
      lifecycle,
    });
    try {
      await queue.add('mystery', {});
      await queue.add('greet', { name: 'Ada' }, { attempts: 3 });
      await waitFor('the greeting', () => seen.length === 1);
      expect(seen[0]).toEqual({ data: { name: 'Ada' }, attempt: { made: 0, allowed: 3 } });
      await waitFor('the unknown job to fail', () => lines.some((l) => l.msg === 'job failed' && l.job === 'mystery'));

      await keepScheduled(queue, [{ name: 'greet', everyMs: 60_000, data: { name: 'every minute' } }]);
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['greet']);
      await keepScheduled(queue, [{ name: 'greet', everyMs: 0 }]);
      expect(await queue.getJobSchedulers()).toEqual([]);
    } finally {
      await lifecycle.stop('test over');
    }
  });

  it('refuses to start without Redis, naming where it looked (without the password)', async () => {
    const { logger } = captureLogger('jobs-test');
    const lifecycle = createLifecycle({ logger, timeoutMs: 1_000 });
    const refused = connectWorkerRedis({ url: 'redis://user:secret@127.0.0.1:1', name: 'jobs-test', logger, lifecycle });
    await expect(refused).rejects.toThrow(/^cannot reach Redis at redis:\/\/.*127\.0\.0\.1:1/);
    await expect(refused).rejects.not.toThrow(/secret/);
  });
});

describe('connectJobQueue', () => {
  it('adds jobs for a worker to run, and gives up on a Redis that was never there instead of waiting for ever', async () => {
    const { logger } = captureLogger('jobs-test');
    const lifecycle = createLifecycle({ logger, timeoutMs: 2_000 });
    const absent = connectJobQueue({ queueName: 'test-producer', url: 'redis://127.0.0.1:1', prefix, name: 'jobs-test', logger, lifecycle });
    const present = connectJobQueue({ queueName: 'test-producer', url: (await infrastructure()).redisUrl, prefix, name: 'jobs-test', logger, lifecycle });
    try {
      await expect(absent.add('greet', { name: 'nobody' }, {})).rejects.toThrow(`Redis: no answer within ${queueAddTimeoutMs} ms`);
      const job = await present.add('greet', { name: 'Ada' }, { jobId: 'greet-ada' });
      expect((job as { id: string }).id).toBe('greet-ada');
      expect(await present.queue.getJobState('greet-ada')).toBe('waiting');
      await present.readinessCheck.check();
    } finally {
      await lifecycle.stop('test over');
    }
  });
});
