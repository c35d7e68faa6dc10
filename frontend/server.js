/**
 * Serves the built site (adapter-node's handler) over HTTP. adapter-node takes a
 * request's protocol from a proxy header and otherwise assumes https, which
 * would make every form post on a plain-http site look cross-site. Here a
 * request that no proxy has described is given ORIGIN's protocol
 * (http://127.0.0.1:3000 locally); behind a TLS proxy X-Forwarded-Proto says
 * https. The host stays the request's own, so localhost and 127.0.0.1 both work.
 */
import { createServer } from 'node:http';

const origin = process.env.ORIGIN ? new URL(process.env.ORIGIN) : undefined;
const defaultProtocol = origin ? origin.protocol.replace(':', '') : 'https';
// Read by the handler when it is imported: it must be set first.
process.env.PROTOCOL_HEADER ||= 'x-forwarded-proto';
const protocolHeader = process.env.PROTOCOL_HEADER.toLowerCase();
delete process.env.ORIGIN;

const { handler } = await import('./build/handler.js');

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const shutdownMs = Number(process.env.SHUTDOWN_TIMEOUT ?? 10) * 1000;

const server = createServer((req, res) => {
  if (!req.headers[protocolHeader]) req.headers[protocolHeader] = defaultProtocol;
  handler(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), shutdownMs).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
