import type { RequestHandler } from 'express';
import type { Upstreams } from '../upstreams.ts';

const timeoutMs = 2_000;

async function readiness(baseUrl: string): Promise<{ status: string; checks?: Record<string, string> }> {
  try {
    const response = await fetch(new URL('/health/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as { status?: string; checks?: Record<string, string> };
    return { status: response.ok ? 'ready' : (body.status ?? `http ${response.status}`), checks: body.checks };
  } catch {
    return { status: 'unreachable' };
  }
}

/**
 * GET /health: the whole platform at a glance (for people and the start script);
 * 200 only when every service behind the gateway is ready.
 */
export function platformHealth(services: Upstreams): RequestHandler {
  return async (_req, res) => {
    const entries = await Promise.all(Object.entries(services).map(async ([name, url]) => [name, await readiness(url)] as const));
    const ready = entries.every(([, state]) => state.status === 'ready');
    res
      .status(ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: ready ? 'ready' : 'degraded', services: Object.fromEntries(entries) });
  };
}
