/**
 * The benchmark's baseline hop: an http server relaying every request to one
 * origin through an undici.Pool (ceilings.md's fastest proxy client), streaming
 * both ways, and nothing else: no routing, identity, limits, logs or tracing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { Pool } from 'undici';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect']);
const pool = new Pool(process.env.BENCH_TARGET!, { connections: Number(process.env.BENCH_POOL_CONNECTIONS ?? 64) });

function relay(req: IncomingMessage, res: ServerResponse) {
  const headers: Record<string, string | string[]> = {};
  for (const name in req.headers) if (!hopByHop.has(name)) headers[name] = req.headers[name]!;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  // A client that leaves must free the pooled connection (as the gateway does).
  let upstream: { abort(reason: Error): void } | undefined;
  let gone = false;
  res.once('close', () => {
    if (res.writableFinished) return;
    gone = true;
    upstream?.abort(new Error('client gone'));
  });
  pool.dispatch(
    { path: req.url!, method: req.method!, headers, body: hasBody ? req : null },
    {
      onRequestStart(controller) {
        upstream = controller;
        if (gone) controller.abort(new Error('client gone'));
      },
      onResponseStart(_controller, status, responseHeaders) {
        res.statusCode = status;
        for (const name in responseHeaders) if (!hopByHop.has(name)) res.setHeader(name, responseHeaders[name]!);
      },
      onResponseData(controller, chunk) {
        if (!res.write(chunk)) {
          controller.pause();
          res.once('drain', () => controller.resume());
        }
      },
      onResponseEnd() {
        res.end();
      },
      onResponseError(_controller, error) {
        if (gone) return;
        if (res.headersSent) res.destroy(error);
        else res.writeHead(502).end();
      },
    },
  );
}

// BENCH_HOP=express: the same relay as an Express 5 app's only middleware, to
// see what Express itself costs a hop.
const app = process.env.BENCH_HOP === 'express' ? express().disable('x-powered-by').use(relay) : relay;
createServer(app).listen(Number(process.env.PORT), '127.0.0.1');
