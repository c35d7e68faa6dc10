import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

export const tracer = trace.getTracer('@twenny/messaging');

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

/** Runs `work` in a span that continues the trace found in `carrier`. */
export function inSpanFrom<T>(
  carrier: Record<string, unknown> | undefined,
  name: string,
  kind: SpanKind,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, contextFrom(carrier), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
