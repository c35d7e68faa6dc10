import type { RequestHandler } from 'express';
import { clientAddressHeader } from '../auth/create-auth.ts';

/**
 * Better-Auth keys its rate limits and session records on the client address it
 * reads from a header. That header is set here from Express's `req.ip`, which
 * believes X-Forwarded-For only from TRUSTED_PROXIES (the gateway), and any
 * value the client sent is overwritten: nobody picks their own address.
 */
export function clientAddress(): RequestHandler {
  return (req, _res, next) => {
    req.headers[clientAddressHeader] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    next();
  };
}
