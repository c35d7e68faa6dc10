export { createLogger, redactPaths, type Logger } from './create-logger.ts';
export { logContext, currentTraceIds, type LogContext } from './log-context.ts';
export { safeUrl } from './safe-url.ts';
export { describeError } from './describe-error.ts';
