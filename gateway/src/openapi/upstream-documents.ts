import type { Dispatcher } from 'undici';
import type { Logger } from '@twenny/logger';
import type { UpstreamName } from '../upstreams.ts';

export type OpenApiDocument = { paths?: Record<string, unknown>; components?: Record<string, Record<string, unknown>>; servers?: Array<{ url?: unknown }>; [key: string]: unknown };

/** `reason` is public (in /api/openapi.json); `cause`, which may name internal addresses, only reaches the log. */
export type UpstreamDocument = { status: 'merged'; document: OpenApiDocument; fetchedAt: string } | { status: 'unavailable'; reason: string; cause?: unknown };

export interface UpstreamDocuments {
  /** Each service's own description, from cache when fresh; never rejects. */
  get(names: readonly UpstreamName[]): Promise<Partial<Record<UpstreamName, UpstreamDocument>>>;
}

const freshForMs = 60_000;
// A service that could not be asked is asked again soon, not on every request.
const retryAfterFailureMs = 5_000;
const maxDocumentBytes = 5 * 1024 * 1024;

/** Fetches `GET /openapi.json` from each service (bounded in time and size) and caches it ~60 s. */
export function createUpstreamDocuments(options: { pools: Record<UpstreamName, Dispatcher>; timeoutMs: number; logger: Logger }): UpstreamDocuments {
  const cache = new Map<UpstreamName, { value: UpstreamDocument; until: number }>();
  const inFlight = new Map<UpstreamName, Promise<UpstreamDocument>>();

  async function fetchDocument(name: UpstreamName): Promise<UpstreamDocument> {
    try {
      const response = await options.pools[name].request({
        path: '/openapi.json',
        method: 'GET',
        headers: { accept: 'application/json' },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += chunk.length;
        if (size > maxDocumentBytes) throw new Error(`its description is larger than ${maxDocumentBytes} bytes`);
        chunks.push(chunk);
      }
      if (response.statusCode !== 200) return { status: 'unavailable', reason: `it answered ${response.statusCode}` };
      const document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OpenApiDocument;
      if (!document || typeof document !== 'object' || typeof document.paths !== 'object' || document.paths === null) {
        return { status: 'unavailable', reason: 'its description has no paths' };
      }
      return { status: 'merged', document, fetchedAt: new Date().toISOString() };
    } catch (error) {
      return { status: 'unavailable', reason: error instanceof SyntaxError ? 'its description is not JSON' : 'it could not be reached', cause: error };
    }
  }

  async function current(name: UpstreamName): Promise<UpstreamDocument> {
    const cached = cache.get(name);
    if (cached && cached.until > Date.now()) return cached.value;
    let pending = inFlight.get(name);
    if (!pending) {
      pending = fetchDocument(name)
        .then((value) => {
          if (value.status === 'unavailable') options.logger.warn({ upstream: name, reason: value.reason, err: value.cause }, 'service API description unavailable; described from the route table only');
          cache.set(name, { value, until: Date.now() + (value.status === 'merged' ? freshForMs : retryAfterFailureMs) });
          return value;
        })
        .finally(() => inFlight.delete(name));
      inFlight.set(name, pending);
    }
    return pending;
  }

  return {
    async get(names) {
      const entries = await Promise.all(names.map(async (name) => [name, await current(name)] as const));
      return Object.fromEntries(entries);
    },
  };
}
