import { fail } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { eventOfTeam } from '#lib/server/organiser.ts';
import type { CheckInResult } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

interface Admitted {
  outcome: 'admitted';
  attendeeName: string;
  ticketTypeName: string;
  eventTitle: string;
  checkedInAt: string;
}

export const load: PageServerLoad = async (event) => {
  requireMember(event, event.params.orgId);
  const found = await eventOfTeam(event, event.params.orgId, event.params.eventId);
  return { event: { id: found.id, title: found.title, timeZone: found.timeZone, status: found.status } };
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export const actions: Actions = {
  /** One scan or typed code: admitted, already used (when, by whom), or invalid (why). */
  default: async (event) => {
    requireMember(event, event.params.orgId);
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '').trim();
    // Every verdict is an answer, not a failed request: turning someone away is the page doing its job.
    const verdict = (result: CheckInResult) => ({ result });
    const invalid = (reason: string) => verdict({ outcome: 'invalid', reason });
    if (!code) return invalid('Scan or type a ticket code.');
    if (code.length > 300) return invalid('That is not a ticket code: it is far too long.');

    const result = await api(event).post<Admitted>('/api/check-ins', { code, eventId: event.params.eventId });
    if (result.ok) {
      const { attendeeName, ticketTypeName, eventTitle, checkedInAt } = result.data;
      return verdict({ outcome: 'admitted', attendeeName, ticketTypeName, eventTitle, at: checkedInAt });
    }
    const { problem } = result;
    if (result.status === 409 && problem.extra.outcome === 'already-used') {
      const at = text(problem.extra.checkedInAt);
      const by = text(problem.extra.checkedInBy) || null;
      return verdict({ outcome: 'already-used', attendeeName: text(problem.extra.attendeeName), ticketTypeName: text(problem.extra.ticketTypeName), at, by });
    }
    // Refunded, another event's, forged or unknown, another organiser's: the API's sentence says which.
    if ([400, 403, 404, 409, 422].includes(result.status)) return invalid(problem.fields.code ?? problem.message);
    // Not a verdict on the ticket: the door should try again, not turn the person away.
    return fail(result.status, { problem: `The ticket could not be checked: ${problem.message}` });
  },
};
