import type { Handle } from '@sveltejs/kit';
import { isProxied, proxyToGateway } from '#lib/server/api-proxy';

export const handle: Handle = async ({ event, resolve }) => {
  if (isProxied(event.url.pathname)) return proxyToGateway(event);
  return resolve(event);
};
