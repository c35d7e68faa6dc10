import { api } from '#lib/server/api.ts';
import { requireMember } from '#lib/server/guards.ts';
import { teamRole } from '#lib/server/organiser.ts';
import type { Team } from '#lib/types/organiser.ts';
import type { LayoutServerLoad } from './$types';

/** The team's name and the person's role in it, for every page of the team (each page checks membership itself too). */
export const load: LayoutServerLoad = async (event) => {
  const user = requireMember(event, event.params.orgId);
  const teams = await api(event).get<Team[]>('/api/auth/organization/list');
  const team = teams.ok ? teams.data.find((t) => t.id === event.params.orgId) : undefined;
  return { team: { id: event.params.orgId, name: team?.name ?? 'Your team', role: teamRole(user, event.params.orgId) ?? 'member' } };
};
