import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { sequence } from '@sveltejs/kit/hooks';
import { isProxied, proxyToGateway } from '#lib/server/api-proxy.ts';
import { guardOrganiserArea } from '#lib/server/guards.ts';
import { resolveUser } from '#lib/server/session.ts';

// Form posts are small; only the cover upload's no-JavaScript fallback carries a file
// (BODY_SIZE_LIMIT lets uploads through the /api proxy, so it cannot guard forms).
const formBodyLimitBytes = 1024 * 1024;
const uploadAction = '/uploadCover';

/** A form post larger than any form needs is refused before it is read into memory. */
const bodyLimit: Handle = async ({ event, resolve }) => {
  const length = Number(event.request.headers.get('content-length') ?? 0);
  if (event.request.method === 'POST' && length > formBodyLimitBytes && !isProxied(event.url.pathname) && !event.url.search.includes(uploadAction)) {
    return new Response('That form sent more than a form can hold.', { status: 413, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  return resolve(event);
};

/** /api/* and /media/* go to the gateway untouched: the browser talks to this origin only. */
const proxy: Handle = async ({ event, resolve }) => (isProxied(event.url.pathname) ? proxyToGateway(event) : resolve(event));

const session: Handle = async ({ event, resolve }) => {
  event.locals.user = event.url.pathname.startsWith('/health/') ? null : await resolveUser(event);
  return resolve(event);
};

/** Guards live here (and in each server load), never only in a layout. */
const guards: Handle = async ({ event, resolve }) => {
  guardOrganiserArea(event);
  return resolve(event);
};

/** Security headers for every page the site renders. */
const headers: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  if (!response.headers.has('x-content-type-options')) response.headers.set('x-content-type-options', 'nosniff');
  if (!response.headers.has('referrer-policy')) response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
  return response;
};

export const handle = sequence(bodyLimit, proxy, session, guards, headers);

/**
 * Errors the app did not throw itself: logged with their stack here, shown to the
 * person as a plain sentence (never a stack trace). Framework errors (404s) get
 * wording of ours; errors thrown with `error()` keep theirs.
 */
export const handleError: HandleServerError = (input) => {
  if (input.kind === 'unknown') {
    const error = input.error;
    console.error(`page failed: ${input.event.url.pathname}: ${error instanceof Error ? error.stack : String(error)}`);
    return { message: 'Something went wrong on our side. Please try again in a moment.' };
  }
  if (input.kind === 'framework' && input.error.status === 404) return { message: 'We could not find that page.' };
};
