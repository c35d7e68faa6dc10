export { startService, type ServiceContext, type StartServiceOptions, type RunningService } from './start-service.ts';
export { runMain } from './run-main.ts';
export { createProcessContext } from './process-context.ts';
