import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { failLoad } from '#lib/server/organiser.ts';
import type { EventPage, EventStatus } from '#lib/types/organiser.ts';
import type { PageServerLoad } from './$types';

const statuses: EventStatus[] = ['draft', 'published', 'cancelled', 'ended'];

/** The team's events in every status, soonest first, a page at a time. */
export const load: PageServerLoad = async (event) => {
  requireMember(event, event.params.orgId);
  const status = statuses.find((s) => s === event.url.searchParams.get('status'));
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const result = await api(event).get<EventPage>(`/api/organizations/${event.params.orgId}/events`, { query: { status, cursor, limit: 50 } });
  if (!result.ok) failLoad(result);
  return { events: result.data.items, nextCursor: result.data.nextCursor, status: status ?? '', paged: cursor !== undefined, deleted: event.url.searchParams.get('deleted') === '1' };
};
