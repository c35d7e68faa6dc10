import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTraceContext } from '../src/trace-context.ts';

describe('request trace context (no telemetry SDK)', () => {
  // What @twenny/telemetry registers in every service process.
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('starts a new sampled trace with well-formed, distinct ids, across many refills of its random pool', () => {
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    // 4 KiB of random bytes serve ~170 requests: 2,000 requests cross the refill many times.
    for (let i = 0; i < 2_000; i++) {
      const { spanContext } = requestTraceContext({});
      expect(spanContext.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanContext.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanContext.traceFlags).toBe(1);
      traceIds.add(spanContext.traceId);
      spanIds.add(spanContext.spanId);
    }
    expect(traceIds.size).toBe(2_000);
    expect(spanIds.size).toBe(2_000);
  });

  it("continues the caller's trace under a span id of its own", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    const { spanContext } = requestTraceContext({ traceparent });
    expect(spanContext.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(spanContext.spanId).not.toBe('00f067aa0ba902b7');
    // The caller decided not to sample: that decision is kept.
    expect(spanContext.traceFlags).toBe(0);
  });

  it.each([
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['not hex', '00-zzf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['oversized', `00-${'a'.repeat(10_000)}-00f067aa0ba902b7-01`],
    // Node joins a repeated header into one value.
    ['sent twice', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01'],
  ])('starts a trace of its own for a malformed traceparent (%s)', (_name, traceparent) => {
    const { spanContext } = requestTraceContext({ traceparent });
    expect(spanContext.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanContext.traceId).not.toMatch(/^0+$/);
    expect(spanContext.traceId).not.toContain('4bf92f3577b34da6a3ce929d0e0e473');
  });
});
