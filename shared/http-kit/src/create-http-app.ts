import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { HttpProblem, problemTypes, type ProblemBody } from './problem.ts';
import { requestContext } from './request-context.ts';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check: () => Promise<unknown>;
  /**
   * The process serves without it (in a degraded way): its state is reported,
   * but its being down does not take the process out of the load balancer.
   */
  optional?: boolean;
}

export interface HttpAppOptions {
  logger: Logger;
  lifecycle: Lifecycle;
  readiness?: ReadinessCheck[];
  /** Largest JSON body accepted; larger bodies get 413. */
  bodyLimit?: string;
  /** Express `trust proxy` setting: only these hops may set X-Forwarded-For. */
  trustProxy?: string | string[] | boolean;
  /**
   * Routes that read the raw body themselves (Better-Auth, the gateway's proxy):
   * mounted after request context and health, before the JSON parser.
   */
  rawBodyRoutes?: (app: Express) => void;
  /** Mount routes here; runs after the common middleware, before 404 and errors. */
  routes: (app: Express) => void;
  /** Serves `GET /openapi.json`: the service's own API description, merged by the gateway. */
  openapi?: () => object;
}

const readinessTimeoutMs = 2000;

/** An Express app with the behaviour every twenny service shares. It does not listen. */
export function createHttpApp(options: HttpAppOptions): Express {
  const { logger, lifecycle, readiness = [], bodyLimit = '100kb', trustProxy = 'loopback' } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.set('etag', 'strong');

  app.use(requestContext(logger));
  app.use((_req, res, next) => {
    // Draining: answer, but tell keep-alive clients to reconnect (to another replica).
    if (lifecycle.isStopping) res.setHeader('connection', 'close');
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  app.get('/health/ready', readinessHandler(lifecycle, readiness));
  if (options.openapi) {
    const document = options.openapi;
    app.get('/openapi.json', (_req, res) => {
      res.json(document());
    });
  }
  options.rawBodyRoutes?.(app);
  app.use(express.json({ limit: bodyLimit, strict: true }));

  options.routes(app);

  app.use((req, _res, next) => {
    next(HttpProblem.notFound(`No route for ${req.method} ${req.path}.`));
  });
  app.use(errorHandler(logger));
  return app;
}

function readinessHandler(lifecycle: Lifecycle, checks: ReadinessCheck[]): RequestHandler {
  return async (_req, res) => {
    if (!lifecycle.isReady) {
      res.status(503).json({ status: lifecycle.isStopping ? 'stopping' : 'starting' });
      return;
    }
    const results = await Promise.all(
      checks.map(async ({ name, check, optional = false }) => {
        try {
          await withTimeout(check(), readinessTimeoutMs);
          return { name, state: 'up', optional } as const;
        } catch {
          return { name, state: 'down', optional } as const;
        }
      }),
    );
    const ready = results.every(({ state, optional }) => state === 'up' || optional);
    const allUp = results.every(({ state }) => state === 'up');
    res.status(ready ? 200 : 503).json({
      status: allUp ? 'ready' : 'degraded',
      checks: Object.fromEntries(results.map(({ name, state }) => [name, state])),
    });
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Body-parser failures, by their `type`, as problems a client can act on. */
function bodyParserProblem(error: { type?: string; status?: number; limit?: number }): ProblemBody | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return { type: problemTypes.payloadTooLarge, title: 'Payload too large', status: 413, detail: `The body is larger than the ${error.limit} bytes this endpoint accepts.` };
    case 'entity.parse.failed':
      return { type: problemTypes.malformedBody, title: 'Malformed JSON', status: 400, detail: 'The body is not valid JSON.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { type: problemTypes.unsupportedMediaType, title: 'Unsupported encoding', status: 415, detail: 'Send the body as UTF-8 JSON.' };
    case 'request.aborted':
      return { type: problemTypes.malformedBody, title: 'Request aborted', status: 400, detail: 'The client stopped sending the body.' };
    default:
      return undefined;
  }
}

function isClientError(error: unknown): error is { status: number; expose?: boolean; message?: string } {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let body: ProblemBody;
    let headers: Record<string, string> = {};
    if (error instanceof HttpProblem) {
      body = error.body;
      headers = error.headers;
    } else if (bodyParserProblem(error)) {
      body = bodyParserProblem(error)!;
    } else if (isClientError(error)) {
      // Express and its parsers mark client mistakes (a malformed path, say) with a 4xx status.
      body = { type: problemTypes.malformedRequest, title: STATUS_CODES[error.status] ?? 'Bad request', status: error.status, detail: error.expose && error.message ? error.message : 'The request could not be understood.' };
    } else {
      // Never leak internals: the log has the stack, the client a request id.
      logger.error({ err: error }, 'unhandled error');
      body = { type: problemTypes.internal, title: 'Internal error', status: 500, detail: `Something went wrong on our side. Quote request id ${req.id} when reporting it.` };
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(body.status).set(headers).type('application/problem+json').json({ ...body, instance: req.originalUrl.split('?')[0] });
  };
}
