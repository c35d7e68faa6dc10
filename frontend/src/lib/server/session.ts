import { error, type RequestEvent } from '@sveltejs/kit';
import { callApi } from './api.ts';

export interface OrganisationMembership {
  id: string;
  role: string;
}

/** The signed-in person, as their identity token describes them (GET /api/me). */
export interface SessionUser {
  id: string;
  email: string;
  role: string;
  orgs: OrganisationMembership[];
}

interface MeResponse {
  userId: string;
  email: string;
  role: string;
  orgs: OrganisationMembership[];
}

/** Whether the request carries a session cookie at all: most visitors don't, and cost no API call. */
export function hasSessionCookie(request: Request): boolean {
  return /(^|;\s*)(__Secure-)?twenny\.session_token=/.test(request.headers.get('cookie') ?? '');
}

/**
 * Resolves the visitor's session through the gateway (which caches the identity
 * token); null when signed out or expired. When the gateway cannot say (busy,
 * down), the person is told so: treating them as signed out would send a buyer
 * mid-checkout to the sign-in page.
 */
export async function resolveUser(event: RequestEvent): Promise<SessionUser | null> {
  if (!hasSessionCookie(event.request)) return null;
  const me = await callApi<MeResponse>(event, 'GET', '/api/me', { timeoutMs: 5_000 });
  if (!me.ok && me.status === 401) return null;
  if (!me.ok) error(me.status === 429 ? 429 : 503, me.status === 429 ? 'Too many requests from here just now: wait a moment and reload.' : 'twenny cannot be reached right now. Please try again in a moment.');
  return { id: me.data.userId, email: me.data.email, role: me.data.role, orgs: me.data.orgs ?? [] };
}

export function isMemberOf(user: SessionUser | null, organizationId: string): boolean {
  return !!user?.orgs.some((org) => org.id === organizationId);
}

/**
 * The name the person gave at sign-up, for prefilling forms. Identity tokens
 * carry no profile fields, so this asks for the session itself: only where a
 * form is prefilled, never on every page. Undefined when it cannot be had.
 */
export async function accountName(event: RequestEvent): Promise<string | undefined> {
  const session = await callApi<{ user?: { name?: unknown } } | null>(event, 'GET', '/api/auth/get-session', { timeoutMs: 3_000 });
  const name = session.ok ? session.data?.user?.name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : undefined;
}
