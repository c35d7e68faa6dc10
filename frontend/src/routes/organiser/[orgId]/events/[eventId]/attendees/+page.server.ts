import { fail } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { eventOfTeam, failLoad, mayRefund, teamRole } from '#lib/server/organiser.ts';
import type { AttendeePage, AttendeeStatusFilter } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

const statuses: AttendeeStatusFilter[] = ['valid', 'void', 'checked-in', 'not-checked-in'];
const pageSize = 50;

/** A page of the event's attendees (newest first), searched and filtered by the GET form. */
export const load: PageServerLoad = async (event) => {
  const user = requireMember(event, event.params.orgId);
  const found = await eventOfTeam(event, event.params.orgId, event.params.eventId);
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  const status = statuses.find((s) => s === params.get('status'));
  const before = params.get('before') ?? undefined;
  const result = await api(event).get<AttendeePage>(`/api/events/${found.id}/attendees`, { query: { q, status, before, limit: pageSize } });
  if (!result.ok) failLoad(result);
  return {
    event: { id: found.id, title: found.title, timeZone: found.timeZone, currency: found.currency },
    attendees: result.data.items,
    next: result.data.next,
    filter: { q, status: status ?? '' },
    paged: before !== undefined,
    mayRefund: mayRefund(teamRole(user, event.params.orgId)),
    // Without JavaScript a refund is confirmed on this page: ?refund=<order id>.
    confirmRefund: params.get('refund'),
  };
};

export const actions: Actions = {
  refund: async (event) => {
    requireMember(event, event.params.orgId);
    await eventOfTeam(event, event.params.orgId, event.params.eventId);
    const form = await event.request.formData();
    const orderId = String(form.get('orderId') ?? '');
    if (form.get('confirm') !== 'yes') return fail(400, { problem: 'Confirm the refund to go ahead.' });
    if (!/^[0-9a-f-]{36}$/i.test(orderId)) return fail(400, { problem: 'That is not an order of this event.' });
    // order-service checks that the order is one of this team's, and that the person may refund (owner or admin).
    const result = await api(event).post<{ status: string }>(`/api/orders/${orderId}/refund`);
    if (!result.ok) return fail(result.status, { problem: result.problem.message });
    return { done: `Order ${orderId.slice(0, 8)} is ${result.data.status === 'refunded' ? 'refunded' : 'being refunded'}: its tickets no longer work and the buyer gets an email.` };
  },
};
