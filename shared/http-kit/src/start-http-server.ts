import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
}

/**
 * Listens, and registers the server's shutdown step: stop accepting, let in-flight
 * requests finish (idle keep-alive sockets are closed at once), then cut what is left.
 */
export async function startHttpServer(
  app: Express,
  options: {
    port: number;
    host?: string;
    lifecycle: Lifecycle;
    logger: Logger;
    drainMs?: number;
    /** How long a client may take to send a whole request (30 s); longer where large uploads pass. */
    requestTimeoutMs?: number;
  },
): Promise<RunningServer> {
  const { lifecycle, logger, host = '0.0.0.0', drainMs = 10_000 } = options;
  const server = createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  lifecycle.onStop('http server', async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets become idle as their last response ends: close them as they do.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => server.closeAllConnections(), drainMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(force);
  }, 'ingress');

  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info({ url }, 'listening');
  return { server, port, url };
}
