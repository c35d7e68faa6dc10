import { fail } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { failLoad, teamRole } from '#lib/server/organiser.ts';
import type { TeamInvitation, TeamMember, TeamRole } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

interface FullTeam {
  id: string;
  name: string;
  members: TeamMember[];
  invitations: TeamInvitation[];
}

const roles: TeamRole[] = ['member', 'admin', 'owner'];

export const load: PageServerLoad = async (event) => {
  const user = requireMember(event, event.params.orgId);
  const result = await api(event).get<FullTeam>('/api/auth/organization/get-full-organization', { query: { organizationId: event.params.orgId } });
  if (!result.ok) failLoad(result);
  const role = teamRole(user, event.params.orgId);
  return {
    members: result.data.members.map(({ id, role, createdAt, user: person }) => ({ id, role, createdAt, name: person.name, email: person.email, isYou: person.id === user.id })),
    invitations: result.data.invitations.filter((i) => i.status === 'pending').map(({ id, email, role, expiresAt }) => ({ id, email, role, expiresAt })),
    manages: role === 'owner' || role === 'admin',
  };
};

/** Better-Auth's refusals, in words for this page. */
function inviteProblem(code: string | undefined, fallback: string): string {
  if (code?.includes('ALREADY_A_MEMBER')) return 'That person is already a member of the team.';
  if (code?.includes('ALREADY_INVITED')) return 'That person has already been invited; the invitation is below.';
  if (code?.includes('NOT_ALLOWED') || code?.includes('NOT_A_MEMBER')) return 'Only owners and admins of the team can invite people.';
  return fallback;
}

/** The invite form shown again, with what was typed and why it failed. */
function refuseInvite(status: number, email: string, role: TeamRole | undefined, errors: Record<string, string>, message: string) {
  return fail(status, { invite: { email, role: role ?? 'member', errors, message } });
}

export const actions: Actions = {
  invite: async (event) => {
    requireMember(event, event.params.orgId);
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const role = roles.find((r) => r === form.get('role'));
    const errors: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.';
    if (!role) errors.role = 'Choose a role.';
    if (Object.keys(errors).length > 0) return refuseInvite(400, email, role, errors, 'Some details need fixing.');
    const result = await api(event).post('/api/auth/organization/invite-member', { email, role, organizationId: event.params.orgId });
    if (!result.ok) return refuseInvite(result.status, email, role, {}, inviteProblem(result.problem.code, result.problem.message));
    return { done: `Invitation sent to ${email}.` };
  },

  cancelInvitation: async (event) => {
    requireMember(event, event.params.orgId);
    const form = await event.request.formData();
    const invitationId = String(form.get('invitationId') ?? '');
    const result = await api(event).post('/api/auth/organization/cancel-invitation', { invitationId });
    if (!result.ok) return fail(result.status, { problem: result.problem.message });
    return { done: 'Invitation withdrawn.' };
  },

  removeMember: async (event) => {
    requireMember(event, event.params.orgId);
    const form = await event.request.formData();
    if (form.get('confirm') !== 'yes') return fail(400, { problem: 'Tick the box to confirm you want to remove this member.' });
    const memberId = String(form.get('memberId') ?? '');
    const result = await api(event).post('/api/auth/organization/remove-member', { memberIdOrEmail: memberId, organizationId: event.params.orgId });
    if (!result.ok) return fail(result.status, { problem: result.problem.message });
    return { done: 'Member removed from the team.' };
  },
};
