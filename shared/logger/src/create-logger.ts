import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { censorSecrets } from './censor-secrets.ts';
import { currentTraceIds, logContext } from './log-context.ts';

export type { Logger };

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
  // A client library's failed command (ioredis: { name, args }) may carry credentials in its arguments (AUTH, HELLO).
  const command = serialized.command as { name?: unknown } | undefined;
  if (command && typeof command === 'object') serialized.command = { name: command.name };
  if (typeof serialized.message === 'string' && serialized.message.startsWith('Failed query:')) {
    serialized.message = 'Failed query (parameters withheld; see cause)';
    const cause = (error as { cause?: { name?: string; code?: unknown; message?: unknown } }).cause;
    if (cause) serialized.cause = { type: cause.name, code: cause.code, message: cause.message };
    if (typeof serialized.stack === 'string') {
      const frames = serialized.stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
      serialized.stack = [`${String(serialized.type)}: ${serialized.message}`, ...frames].join('\n');
    }
  }
  // An error's own fields (a client's request options, say) may name secrets too.
  // Spread: the serialized error's prototype is pino's, and only plain objects are walked.
  return censorSecrets({ ...serialized });
}

export function createLogger(options: { service: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
    level: options.level ?? 'info',
    base: { service: options.service },
    messageKey: 'msg',
    timestamp: stdTimeFunctions.isoTime,
    // Secrets by key name, at any depth (pino's wildcard redaction would do the
    // same at ten times the cost of the rest of the line). Child-logger bindings
    // are not walked: they are the code's own labels, never request data.
    formatters: { level: (label) => ({ level: label }), log: censorSecrets },
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
