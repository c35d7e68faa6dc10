import { randomFillSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';

/**
 * The trace a request is served in. Where HTTP is instrumented (spans are
 * exported), the server span's. Elsewhere no span is recorded, and this is what
 * stands in for one at the cost of a header parse: the caller's trace from its
 * `traceparent`, continued under a span id of this hop's own, or a new trace.
 * Run the request in the returned context, and the trace id reaches the logs, the
 * outbox's message headers and any call made with the propagator.
 */
export function requestTraceContext(headers: IncomingHttpHeaders): { context: Context; spanContext: SpanContext } {
  const active = context.active();
  const current = trace.getSpanContext(active);
  if (current && isSpanContextValid(current)) return { context: active, spanContext: current };
  const remote = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers));
  const continued = remote && isSpanContextValid(remote) ? remote : undefined;
  const spanContext: SpanContext = {
    traceId: continued?.traceId ?? randomHex(32),
    spanId: randomHex(16),
    // The caller's decision when there is one; a new trace is marked sampled, so a
    // process further on that does export spans records its part of it (this one
    // records none, which the flag allows: "the caller may have recorded").
    traceFlags: continued?.traceFlags ?? TraceFlags.SAMPLED,
    traceState: continued?.traceState,
  };
  return { context: trace.setSpanContext(active, spanContext), spanContext };
}

// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per ~170
// requests instead of one or two per request (this runs on every request).
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** Random lowercase hex, as W3C trace context ids are; never all zeros (invalid). */
function randomHex(length: 16 | 32): string {
  const bytes = length / 2;
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
}
