import { loadConfigOrExit } from '@twenny/config';
import { runMain } from '@twenny/service-kit';
import { workerConfigSchema } from './config.ts';
import { lowerCpuPriority } from './jobs/cpu-priority.ts';
import { startMediaWorkerProcess, workerName } from './worker-process.ts';

/**
 * The media worker process (`npm run worker -w media-service`): image work at a
 * lower CPU priority (MEDIA_WORKER_NICE) than the HTTP processes, so uploads and
 * image serving stay responsive while a batch of large images is processed.
 */
const config = loadConfigOrExit(workerName, workerConfigSchema);
// First, before sharp or the database start threads: those made later inherit it.
lowerCpuPriority(config.MEDIA_WORKER_NICE);

runMain(workerName, () => startMediaWorkerProcess(config));
