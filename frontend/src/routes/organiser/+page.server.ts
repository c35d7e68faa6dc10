import { api } from '#lib/server/api.ts';
import { requireUser } from '#lib/server/guards.ts';
import type { Team } from '#lib/types/organiser.ts';
import type { PageServerLoad } from './$types';

/** The teams the person organises with; someone without one is offered to create one. */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const result = await api(event).get<Team[]>('/api/auth/organization/list');
  const teams = result.ok ? result.data.map(({ id, name, slug }) => ({ id, name, slug, role: user.orgs.find((org) => org.id === id)?.role ?? 'member' })) : [];
  return { teams, loadProblem: result.ok ? null : result.problem.message };
};
