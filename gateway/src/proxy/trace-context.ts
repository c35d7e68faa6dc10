import { channel } from 'node:diagnostics_channel';
import { context, propagation } from '@opentelemetry/api';

// The OpenTelemetry undici instrumentation (loaded when spans are exported)
// listens here and appends its own traceparent (and tracestate, baggage) to
// every undici request, with Request#addHeader: it never replaces one already there.
const undiciRequestCreated = channel('undici:request:create');

export interface TraceForwarding {
  /** The client's trace headers, not forwarded: the request's own trace replaces them. */
  drop: readonly string[];
  /** Headers to add (the request's trace), when no instrumentation injects them. */
  add: Record<string, string>;
}

const passThrough: TraceForwarding = { drop: [], add: {} };

/**
 * How the request's trace reaches the service, in one traceparent with the
 * client's trace id (http-kit's request context continues it): injected by the
 * undici instrumentation when it is loaded, else by the gateway from the active
 * context. Without any telemetry SDK (tests in-process) the propagator injects
 * nothing, and the client's own headers pass through unchanged.
 */
export function traceForwarding(): TraceForwarding {
  if (undiciRequestCreated.hasSubscribers) return { drop: propagation.fields(), add: {} };
  const add: Record<string, string> = {};
  propagation.inject(context.active(), add);
  return Object.keys(add).length > 0 ? { drop: propagation.fields(), add } : passThrough;
}
