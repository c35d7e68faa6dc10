import { channel } from 'node:diagnostics_channel';
import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';

// The OpenTelemetry undici instrumentation (in the telemetry preload) listens here
// and appends its own traceparent (and tracestate, baggage) to every undici
// request, with Request#addHeader: it never replaces one already there.
const undiciRequestCreated = channel('undici:request:create');

/**
 * Trace headers of the client's that must not be forwarded because the
 * instrumentation will inject its own: the fields of the registered propagator,
 * when something listens for undici requests. Without telemetry the list is
 * empty and the client's traceparent passes through unchanged, so the trace id
 * still reaches the service.
 */
export function injectedTraceFields(): readonly string[] {
  if (!undiciRequestCreated.hasSubscribers) return [];
  return propagation.fields();
}

/**
 * Runs `dispatch` where the instrumentation will find the caller's trace: the
 * active server span when HTTP is instrumented, else the context the client's
 * own headers carry. Either way the service sees one traceparent, with the
 * client's trace id.
 */
export function inCallerTrace<T>(headers: IncomingHttpHeaders, dispatch: () => T): T {
  const active = context.active();
  if (trace.getSpanContext(active) !== undefined) return dispatch();
  return context.with(propagation.extract(active, headers), dispatch);
}
