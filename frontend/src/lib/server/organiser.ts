import { error, type RequestEvent } from '@sveltejs/kit';
import type { Category, EditorOptions, OrganiserEvent, TeamRole } from '#lib/types/organiser.ts';
import { api, type ApiResult } from './api.ts';
import { editorOptions } from './editor-options.ts';
import type { SessionUser } from './session.ts';

type Caller = Pick<RequestEvent, 'request' | 'url' | 'getClientAddress'>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A failed API read in a load, as the error page shows it: the API's sentence, its status. */
export function failLoad(result: Extract<ApiResult<unknown>, { ok: false }>): never {
  error(result.status, { message: result.problem.message });
}

/**
 * The event in the URL, if it is one of this team's. An event of another team
 * is "not found" here even for someone who belongs to both: the URL must name
 * the team that owns it, or links and guards would disagree.
 */
export async function eventOfTeam(event: Caller, organizationId: string, eventId: string): Promise<OrganiserEvent> {
  // The API also takes slugs: only ids are addresses in the organiser area.
  if (!uuid.test(eventId)) error(404, { message: 'We could not find that event.' });
  const result = await api(event).get<OrganiserEvent>(`/api/events/${eventId}`);
  if (!result.ok) {
    if (result.status === 404) error(404, { message: 'We could not find that event.' });
    failLoad(result);
  }
  if (result.data.organizationId !== organizationId) error(404, { message: 'We could not find that event in this team.' });
  return result.data;
}

/** The person's role in the team (from their identity token). */
export function teamRole(user: SessionUser, organizationId: string): TeamRole | undefined {
  return user.orgs.find((org) => org.id === organizationId)?.role as TeamRole | undefined;
}

/** Giving money back is for owners and admins (order-service refuses plain members too). */
export function mayRefund(role: TeamRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** Everything the event editor's selects need: the lists of editor-options.ts and the API's categories. */
export async function loadEditorOptions(event: Parameters<typeof api>[0]): Promise<EditorOptions> {
  const categories = await api(event).get<{ items: Category[] }>('/api/categories');
  if (!categories.ok) failLoad(categories);
  return { ...editorOptions(), categories: categories.data.items.map(({ slug, label }) => ({ slug, label })) };
}
