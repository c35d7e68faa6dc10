import { AsyncLocalStorage } from 'node:async_hooks';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** What every log line written while handling one request or message carries. */
export interface LogContext {
  requestId?: string;
  messageId?: string;
  traceId?: string;
  spanId?: string;
}

/**
 * Set by the HTTP kit per request and by the consumer per message, so that a log
 * line written anywhere below (use case, query helper) names its request and trace.
 */
export const logContext = new AsyncLocalStorage<LogContext>();

export function currentTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
