export { assertEveryJobHasAHandler, connectJobQueue, connectWorkerRedis, keepScheduled, queueAddTimeoutMs, runJobs, type JobHandler } from './run-jobs.ts';
