import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { HttpProblem } from '@twenny/http-kit';
import type { Logger } from '@twenny/logger';
import type { UpstreamName } from '../upstreams.ts';
import { badUpstreamResponse, payloadTooLarge, unforwardableRequest, upstreamTimeout, upstreamUnavailable } from '../http/problems.ts';
import { connectionTokens, forwardsResponseHeader } from './forward-headers.ts';

export interface ProxyRequest {
  pool: Dispatcher;
  upstream: UpstreamName;
  method: string;
  /** Path and query, forwarded unchanged. */
  path: string;
  headers: Record<string, string | string[]>;
  bodyLimitBytes: number;
  timeoutMs: number;
  log: Logger;
}

/** The request body went over the route's limit while it streamed. */
class BodyTooLargeError extends Error {
  constructor() {
    super('request body over the limit');
    this.name = 'BodyTooLargeError';
  }
}

/** The client went away: nothing to answer. */
class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

// Errors meaning the service could not be reached (or dropped the connection
// before answering): 503, the caller may retry.
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
// A kept-alive connection the service closed just as it was reused: tried once
// more, but only for a method that is safe to repeat (the service may have acted
// on the first before the connection dropped) and without a body.
const staleConnection = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const repeatable = new Set(['GET', 'HEAD', 'OPTIONS']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

/** Whether a request body follows (a declared length above zero, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > 0;
}

/**
 * The body as undici reads it: counted as it streams, failing past the limit
 * (chunked bodies declare no length up front). Iterated without destroying the
 * request on early exit, so the gateway can still answer on its socket.
 */
async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    yield chunk;
  }
}

/**
 * Streams one request to a service and its response back. Resolves once the
 * response is relayed (or the client is gone); rejects with a problem only while
 * nothing has been sent yet. A failure mid-response cuts the client's connection,
 * which is the only honest signal left. The client leaving aborts the upstream call.
 */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, options: ProxyRequest): Promise<void> {
  const withBody = hasBody(req);
  let attempts = 0;
  return new Promise<void>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let clientGone = false;
    let responded = false;
    const onClose = () => {
      if (res.writableFinished) return;
      clientGone = true;
      controller?.abort(new ClientGoneError());
    };
    res.once('close', onClose);
    const settle = (error?: HttpProblem) => {
      res.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (clientGone) started.abort(new ClientGoneError());
      },
      onResponseStart(_started, statusCode, headers) {
        if (statusCode < 200) return; // 1xx: informational, not relayed
        responded = true;
        const named = connectionTokens(headers.connection);
        res.statusCode = statusCode;
        for (const name in headers) {
          const value = headers[name];
          if (value === undefined || !forwardsResponseHeader(name, named)) continue;
          try {
            res.setHeader(name, value);
          } catch {
            // A header Node refuses to send is dropped rather than failing the response.
          }
        }
        // Headers leave with the first chunk (one write for a small response, not two).
      },
      onResponseData(started, chunk) {
        if (!res.write(chunk)) {
          started.pause();
          res.once('drain', () => started.resume());
        }
      },
      onResponseEnd() {
        res.end();
        settle();
      },
      onResponseError(_started, error) {
        if (clientGone || error instanceof ClientGoneError) return settle();
        if (responded || res.headersSent) {
          options.log.warn({ upstream: options.upstream, err: error }, 'upstream failed mid-response; connection cut');
          res.destroy(error);
          return settle();
        }
        const code = errorCode(error);
        if (!withBody && attempts === 1 && repeatable.has(options.method) && code && staleConnection.has(code)) return dispatch();
        if (!(error instanceof BodyTooLargeError)) options.log.warn({ upstream: options.upstream, code, err: error }, 'upstream call failed');
        settle(problemFor(error, code, options));
      },
    };

    function dispatch() {
      attempts += 1;
      try {
        dispatchOnce();
      } catch (error) {
        handler.onResponseError!(controller as Dispatcher.DispatchController, error as Error);
      }
    }
    function dispatchOnce() {
      options.pool.dispatch(
        {
          path: options.path,
          method: options.method,
          headers: options.headers,
          body: withBody ? Readable.from(limitedBody(req, options.bodyLimitBytes), { objectMode: false }) : null,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        },
        handler,
      );
    }
    dispatch();
  });
}

function problemFor(error: Error, code: string | undefined, options: ProxyRequest): HttpProblem {
  if (error instanceof BodyTooLargeError) return payloadTooLarge(options.bodyLimitBytes);
  // undici refused the request as given (a header or path Node accepted but HTTP/1.1 clients may not send).
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return unforwardableRequest();
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return upstreamTimeout(options.upstream, options.timeoutMs);
  if (code && unreachable.has(code)) return upstreamUnavailable(options.upstream);
  return badUpstreamResponse(options.upstream);
}
