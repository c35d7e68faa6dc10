import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { currentTraceIds, logContext } from './log-context.ts';

export type { Logger };

/**
 * Fields that must never reach a log. pino's wildcards cover one level each, so the
 * common nestings are listed explicitly.
 */
const secretKeys = ['password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'secret', 'clientSecret', 'apiKey', 'cardNumber', 'cvc'];
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function createLogger(options: { service: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
    level: options.level ?? 'info',
    base: { service: options.service },
    messageKey: 'msg',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
    // The request/message context wins; otherwise whatever span is active.
    mixin: () => logContext.getStore() ?? currentTraceIds(),
    },
    // Synchronous stdout by default: the last lines before an exit are never lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
