import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { isMemberOf, type SessionUser } from './session.ts';

/** The signed-in person, or a redirect to sign in that comes back here. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
  const user = event.locals.user;
  if (!user) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  return user;
}

/** A member of the organisation in the URL, or 403: organisers see only their own team's pages. */
export function requireMember(event: Pick<RequestEvent, 'locals' | 'url'>, organizationId: string): SessionUser {
  const user = requireUser(event);
  if (!isMemberOf(user, organizationId)) error(403, 'This page belongs to an organiser team you are not a member of.', { hint: 'Ask the team to invite you, or create a team of your own.' });
  return user;
}

const organiserArea = /^\/organiser\/([^/]+)(?:\/|$)/;

/**
 * The organiser area's guard, run in hooks for every request under /organiser
 * (pages, data requests and form actions alike): signed in, and a member of the
 * team the URL names. Each server load checks again what it reads.
 */
export function guardOrganiserArea(event: Pick<RequestEvent, 'locals' | 'url'>): void {
  const path = event.url.pathname;
  if (path !== '/organiser' && !path.startsWith('/organiser/')) return;
  requireUser(event);
  const team = organiserArea.exec(path)?.[1];
  if (team && team !== 'new') requireMember(event, team);
}
