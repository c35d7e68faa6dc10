import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('@twenny/messaging');

/** The context a carrier (outbox row headers, AMQP headers) was written in. */
export function contextFrom(carrier: Record<string, unknown> | undefined): Context {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(carrier ?? {})) {
    if (typeof value === 'string') strings[key] = value;
    else if (Buffer.isBuffer(value)) strings[key] = value.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, strings);
}

/** Headers carrying the active context to the next hop. */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Publishes in the context its outbox row was written in: the amqplib
 * instrumentation's publish span (when telemetry is on) becomes a child of the
 * request that caused the message, and the trace headers carry it on.
 */
export function inContextOf<T>(carrier: Record<string, unknown> | undefined, work: () => T): T {
  return context.with(contextFrom(carrier), work);
}

/**
 * Runs a message's handling in a consumer span: the amqplib instrumentation's, when
 * it made one (it continues the trace from the headers), else one of our own from
 * the headers, so traces continue even where the instrumentation is not loaded.
 */
export function inConsumerSpan<T>(carrier: Record<string, unknown> | undefined, name: string, attributes: Record<string, string | number>, work: () => Promise<T>): Promise<T> {
  const active = trace.getActiveSpan();
  if (active?.isRecording()) {
    active.setAttributes(attributes);
    return work();
  }
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, contextFrom(carrier), async (span: Span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
