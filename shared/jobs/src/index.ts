export { assertEveryJobHasAHandler, connectWorkerRedis, keepScheduled, runJobs, type JobHandler } from './run-jobs.ts';
