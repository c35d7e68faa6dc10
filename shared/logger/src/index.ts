export { createLogger, type Logger } from './create-logger.ts';
export { censorSecrets } from './censor-secrets.ts';
export { logContext, currentTraceIds, type LogContext } from './log-context.ts';
export { safeUrl } from './safe-url.ts';
export { describeError } from './describe-error.ts';
