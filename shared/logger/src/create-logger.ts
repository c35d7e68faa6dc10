import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
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

/**
 * Errors as log fields, minus what may carry personal data or secrets: a failed
 * query's SQL parameters (drizzle's DrizzleQueryError puts them in its message
 * and fields). The database's own error, in `cause`, says what went wrong.
 */
function serializeError(error: unknown) {
  const serialized = stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== 'object') return serialized;
  delete serialized.params;
  delete serialized.query;
  if (typeof serialized.message === 'string' && serialized.message.startsWith('Failed query:')) {
    serialized.message = 'Failed query (parameters withheld; see cause)';
    const cause = (error as { cause?: { name?: string; code?: unknown; message?: unknown } }).cause;
    if (cause) serialized.cause = { type: cause.name, code: cause.code, message: cause.message };
    if (typeof serialized.stack === 'string') {
      const frames = serialized.stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
      serialized.stack = [`${String(serialized.type)}: ${serialized.message}`, ...frames].join('\n');
    }
  }
  return serialized;
}

export function createLogger(options: { service: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
    level: options.level ?? 'info',
    base: { service: options.service },
    messageKey: 'msg',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: serializeError },
    // The request/message context wins; otherwise whatever span is active. A copy:
    // pino merges each call's fields into the object the mixin returns, which would
    // otherwise leak them onto every later line of the same request.
    mixin: () => ({ ...(logContext.getStore() ?? currentTraceIds()) }),
    },
    // Synchronous stdout by default: the last lines before an exit are never lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
