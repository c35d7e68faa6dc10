import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { eventOfTeam, failLoad } from '#lib/server/organiser.ts';
import type { SalesReport, SalesTimeline, TimelineInterval } from '#lib/types/organiser.ts';
import type { PageServerLoad } from './$types';

const hourMs = 3_600_000;

/** The event's dashboard: sales by ticket type, and sales over time. */
export const load: PageServerLoad = async (event) => {
  requireMember(event, event.params.orgId);
  const found = await eventOfTeam(event, event.params.orgId, event.params.eventId);
  const chosen = event.url.searchParams.get('interval');
  const calls = api(event);
  const [sales, days] = await Promise.all([
    calls.get<SalesReport>(`/api/events/${found.id}/sales`),
    calls.get<SalesTimeline>(`/api/events/${found.id}/sales/timeline`, { query: { interval: 'day' } }),
  ]);
  if (!sales.ok) failLoad(sales);
  if (!days.ok) failLoad(days);
  // Sales of a day or two say more by the hour; asked-for hours cover the last three days at most.
  let timeline = days.data;
  const interval: TimelineInterval = chosen === 'hour' || chosen === 'day' ? chosen : days.data.buckets.length <= 2 ? 'hour' : 'day';
  if (interval === 'hour') {
    const from = new Date(Math.max(Date.parse(days.data.from), Date.parse(days.data.to) - 72 * hourMs)).toISOString();
    const hours = await calls.get<SalesTimeline>(`/api/events/${found.id}/sales/timeline`, { query: { interval: 'hour', from, to: days.data.to } });
    if (!hours.ok) failLoad(hours);
    timeline = hours.data;
  }
  return { event: found, sales: sales.data, timeline, interval };
};
