/**
 * The W3C trace context reaches the service with the client's trace id, in one
 * traceparent header: passed through as is without telemetry; with telemetry,
 * injected by the undici instrumentation (which appends, never replaces: the
 * client's own header must then not be forwarded as well).
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, infrastructure, startPlatformProcess, uniquePrefix, waitFor } from '@twenny/testing';
import { startGateway } from './support/gateway-harness.ts';
import { startStub, type RecordedRequest, type StubUpstream } from './support/stub-upstream.ts';

let auth: StubUpstream;

beforeAll(async () => {
  auth = await startStub();
});

afterAll(async () => {
  await auth?.stop();
});

function traceHeaders() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, headers: { traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'vendor=opaque' } };
}

function traceparents(received: RecordedRequest): string[] {
  const values: string[] = [];
  for (let i = 0; i < received.rawHeaders.length; i += 2) if (received.rawHeaders[i]!.toLowerCase() === 'traceparent') values.push(received.rawHeaders[i + 1]!);
  return values;
}

/**
 * Sent over a bare socket: fetch and http.request are themselves instrumented
 * once an SDK runs in this process, and would add trace headers of their own.
 */
async function through(url: string, headers: Record<string, string>, path: string): Promise<RecordedRequest> {
  const { hostname, port } = new URL(url);
  const head = [`GET ${path} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const answer = await new Promise<string>((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.write(head));
    socket.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text)).on('error', reject);
  });
  expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  return auth.requestsTo(path).at(-1)!;
}

describe('without the telemetry SDK', () => {
  it('passes the client\'s traceparent and tracestate through unchanged, once', async () => {
    const gateway = await startGateway({ AUTH_SERVICE_URL: auth.url });
    try {
      const { headers } = traceHeaders();
      const received = await through(gateway.url, headers, '/api/auth/trace/plain');
      expect(traceparents(received)).toEqual([headers.traceparent]);
      expect(received.headers.tracestate).toBe('vendor=opaque');
    } finally {
      await gateway.stop();
    }
  });
});

describe('with the telemetry preload (as npm start runs the gateway)', () => {
  it('sends one traceparent with the client\'s trace id and the gateway\'s own span, and shuts down cleanly', async () => {
    const { redisUrl } = await infrastructure();
    const prefix = uniquePrefix();
    const gateway = startPlatformProcess(fileURLToPath(new URL('..', import.meta.url)), 'src/main.ts', { AUTH_SERVICE_URL: auth.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0' });
    try {
      const url = `http://127.0.0.1:${await gateway.port()}`;
      const { traceId, spanId, headers } = traceHeaders();
      const received = await through(url, headers, '/api/auth/trace/preloaded');
      const sent = traceparents(received);
      expect(sent).toHaveLength(1);
      const [, sentTrace, parent] = sent[0]!.split('-');
      expect(sentTrace).toBe(traceId);
      expect(parent).not.toBe(spanId);
      // Logs carry the same trace: the request line names it.
      const line = await waitFor('the request log line', () => gateway.lines.find((l) => l.msg === 'request completed' && l.path === '/api/auth/trace/preloaded'));
      expect(line.traceId).toBe(traceId);
    } finally {
      expect(await gateway.stop()).toBe(0);
      await deleteRedisKeys(redisUrl, `${prefix}:`);
    }
  });
});

describe('with the SDK started in this process (undici instrumented, no HTTP server span)', () => {
  it('still sends one traceparent with the client\'s trace id', async () => {
    const { startTelemetry, shutdownTelemetry } = await import('@twenny/telemetry');
    startTelemetry({ serviceName: 'gateway-test' });
    const gateway = await startGateway({ AUTH_SERVICE_URL: auth.url });
    try {
      const { traceId, headers } = traceHeaders();
      const received = await through(gateway.url, headers, '/api/auth/trace/in-process');
      const sent = traceparents(received);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.split('-')[1]).toBe(traceId);
      expect(sent[0]).not.toBe(headers.traceparent);
    } finally {
      await gateway.stop();
      await shutdownTelemetry();
    }
  });
});
