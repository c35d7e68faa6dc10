import { error, fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { requireUser } from '#lib/server/guards.ts';
import type { Actions, PageServerLoad } from './$types';

interface Invitation {
  id: string;
  email: string;
  role: string;
  status: string;
  organizationId: string;
  organizationName?: string;
  inviterEmail?: string;
  expiresAt?: string;
}

/** The link in an invitation mail: who invites you to which team, to accept or decline. */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const found = await api(event).get<Invitation>('/api/auth/organization/get-invitation', { query: { id: event.params.id } });
  if (!found.ok) {
    if (found.status === 400 || found.status === 403 || found.status === 404) {
      error(404, 'This invitation does not exist, has expired, or is for another email address.', { hint: `You are signed in as ${user.email}. Sign in with the address the invitation was sent to.` });
    }
    error(found.status, found.problem.message);
  }
  return { invitation: found.data };
};

export const actions: Actions = {
  accept: async (event) => {
    requireUser(event);
    const accepted = await api(event).post<{ member?: { organizationId: string } }>('/api/auth/organization/accept-invitation', { invitationId: event.params.id });
    if (!accepted.ok) return fail(accepted.status, { message: accepted.problem.message });
    // The gateway forgets the session's token on this call: the next request carries the new team.
    const team = accepted.data.member?.organizationId;
    redirect(303, team ? `/organiser/${team}` : '/organiser');
  },
  decline: async (event) => {
    requireUser(event);
    const declined = await api(event).post('/api/auth/organization/reject-invitation', { invitationId: event.params.id });
    if (!declined.ok) return fail(declined.status, { message: declined.problem.message });
    redirect(303, '/');
  },
};
