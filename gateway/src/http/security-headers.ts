import type { ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * helmet's headers on every gateway response. The API answers JSON, so its
 * Content-Security-Policy allows nothing at all; /api/docs sets its own. No
 * `upgrade-insecure-requests`: on a plain-http local run it would send the docs
 * page's own assets to https and break it. A service's own header of the same
 * name, when it sends one, replaces the gateway's.
 */
const helmetMiddleware = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    },
  },
});

/**
 * What helmet sets with this (request-independent) configuration, captured once:
 * set in one call per response instead of running helmet's dozen middlewares
 * on the path every proxied request takes.
 */
function capture(): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => void headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  helmetMiddleware({} as never, recorder as never, () => {});
  return headers;
}

const captured = capture();

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeaders(captured);
}
