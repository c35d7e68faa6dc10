import type { Express } from 'express';
import { createHttpApp } from '@twenny/http-kit';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import type { Upstreams } from '../upstreams.ts';
import { platformHealth } from './platform-health.ts';

/** The gateway's Express app, without listen (tests mount it on a random port). */
export function createGatewayApp(deps: { logger: Logger; lifecycle: Lifecycle; upstreams: Upstreams }): Express {
  return createHttpApp({
    logger: deps.logger,
    lifecycle: deps.lifecycle,
    routes: (app) => {
      // Route table: policy "public".
      app.get('/health', platformHealth(deps.upstreams));
    },
  });
}
