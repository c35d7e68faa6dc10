import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { context } from '@opentelemetry/api';
import { logContext, type Logger } from '@twenny/logger';
import { requestTraceContext } from './trace-context.ts';

// A caller's request id is kept when it looks like one (so a trace through the
// gateway keeps one id); anything else is replaced, never logged raw.
const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

/**
 * Gives each request an id (echoed as X-Request-Id), a child logger, and a log
 * context so that every line written while serving it carries requestId and
 * traceId; logs one line when the response finishes.
 */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    const trace = requestTraceContext(req.headers);
    const fields = { requestId, traceId: trace.spanContext.traceId, spanId: trace.spanContext.spanId };
    req.id = requestId;
    req.log = logger;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const { method, path } = req;
    const quiet = path.startsWith('/health');
    context.with(trace.context, () => logContext.run(fields, () => {
      // The line names its request itself: 'finish' may fire in another async context.
      res.on('finish', () => {
        const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
        const status = res.statusCode;
        // Health probes are frequent and their 503s are answers, not failures.
        const level = quiet ? 'debug' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        logger[level]({ ...fields, method, path, status, durationMs }, 'request completed');
      });
      next();
    }));
  };
}
