import { HttpProblem, problemTypes } from '@twenny/http-kit';
import { serviceLabel, type UpstreamName } from '../upstreams.ts';

/** 401 with the RFC 6750 challenge: the identity kit's, so gateway and services answer alike. */
export { unauthorized } from '@twenny/identity';

export function forbidden(detail: string): HttpProblem {
  return HttpProblem.forbidden(detail);
}

/** Identity cannot be established right now (key set or auth-service unreachable): not the caller's fault. */
export function identityUnavailable(): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.unavailable, title: 'Service unavailable', status: 503, detail: 'Your identity cannot be checked right now; try again shortly.' },
    { 'retry-after': '5' },
  );
}

export function upstreamUnavailable(upstream: UpstreamName): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.unavailable, title: 'Service unavailable', status: 503, detail: `The ${serviceLabel(upstream)} is unavailable; try again shortly.`, service: upstream },
    { 'retry-after': '2' },
  );
}

/** 504 keeps the `unavailable` type: the caller does the same thing (retry later). */
export function upstreamTimeout(upstream: UpstreamName, timeoutMs: number): HttpProblem {
  return new HttpProblem({ type: problemTypes.unavailable, title: 'Gateway timeout', status: 504, detail: `The ${serviceLabel(upstream)} did not answer within ${timeoutMs} ms.`, service: upstream });
}

export function badUpstreamResponse(upstream: UpstreamName): HttpProblem {
  return new HttpProblem({ type: problemTypes.unavailable, title: 'Bad gateway', status: 502, detail: `The ${serviceLabel(upstream)} sent a response the gateway could not relay.`, service: upstream });
}

/** The body is refused before (or while) it is read; the connection is closed so the rest is not read either. */
export function payloadTooLarge(limitBytes: number): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.payloadTooLarge, title: 'Payload too large', status: 413, detail: `The body is larger than the ${limitBytes} bytes this endpoint accepts.` },
    { connection: 'close' },
  );
}

export function unforwardableRequest(): HttpProblem {
  return new HttpProblem({ type: problemTypes.malformedRequest, title: 'Malformed request', status: 400, detail: 'The request has a header or path that cannot be forwarded.' });
}

export function nonCanonicalPathProblem(reason: string): HttpProblem {
  return new HttpProblem({ type: problemTypes.malformedRequest, title: 'Malformed path', status: 400, detail: `The path is refused because ${reason}. Send the plain path.` });
}

export function methodNotAllowed(method: string, allow: string[]): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.methodNotAllowed, title: 'Method not allowed', status: 405, detail: `${method} is not allowed here; use ${allow.join(', ')}.` },
    { allow: allow.join(', ') },
  );
}

export function rateLimited(retryAfterSeconds: number, headers: Record<string, string>): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.rateLimited, title: 'Too many requests', status: 429, detail: `Too many requests; try again in ${retryAfterSeconds} s.` },
    { ...headers, 'retry-after': String(retryAfterSeconds) },
  );
}
