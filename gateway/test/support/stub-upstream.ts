import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** Resolves when the request closes; `aborted` when the gateway cut it before the response ended. */
  closed: Promise<{ aborted: boolean }>;
}

export type StubHandler = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => void | Promise<void>;

export interface StubUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests whose path (without query) is `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Answers `path` (exact, without query) with `handler` instead of the echo. */
  on(path: string, handler: StubHandler): void;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A stand-in service on a free port: records every request, and by default
 * answers 200 with JSON echoing what it received (after reading the body).
 */
export async function startStub(port = 0): Promise<StubUpstream> {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, StubHandler>();
  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const record: RecordedRequest = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      closed: new Promise((resolve) => res.once('close', () => resolve({ aborted: !res.writableFinished }))),
    };
    requests.push(record);
    const handler = routes.get(req.url!.split('?')[0]!);
    try {
      if (handler) return await handler(req, res, record);
      record.body = await readBody(req);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, url: req.url, bytes: record.body.length }));
    } catch {
      res.destroy();
    }
  };
  let server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    requestsTo: (path) => requests.filter((r) => r.url.split('?')[0] === path),
    on: (path, handler) => void routes.set(path, handler),
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async restart() {
      server = createServer(listener);
      await new Promise<void>((resolve) => server.listen(bound, '127.0.0.1', resolve));
    },
  };
}
