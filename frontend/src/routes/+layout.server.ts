import type { LayoutServerLoad } from './$types';

/** What every page's header needs: who is signed in, and whether they organise. */
export const load: LayoutServerLoad = ({ locals }) => ({
  user: locals.user && { email: locals.user.email, isOrganiser: locals.user.orgs.length > 0, firstTeam: locals.user.orgs[0]?.id ?? null },
});
