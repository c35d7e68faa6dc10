import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { relaySetCookies } from '#lib/server/auth-cookies.ts';
import { requireUser } from '#lib/server/guards.ts';
import { resolveUser } from '#lib/server/session.ts';
import { slugify, slugPattern } from '#lib/server/team-slug.ts';
import type { Team } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  requireUser(event);
  return {};
};

/** Waits (briefly) until the person's identity token lists the new team: the pages behind it check membership from that token. */
async function waitForMembership(event: Parameters<typeof resolveUser>[0], teamId: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await resolveUser(event);
    if (user?.orgs.some((org) => org.id === teamId)) {
      event.locals.user = user;
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  return false;
}

/** The form shown again, with what was typed and why it failed. */
function refuse(status: number, name: string, slug: string, errors: Record<string, string>, message: string) {
  return fail(status, { name, slug, errors, message });
}

export const actions: Actions = {
  default: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const typedSlug = String(form.get('slug') ?? '').trim().toLowerCase();
    const slug = typedSlug || slugify(name);
    const errors: Record<string, string> = {};
    if (!name) errors.name = 'Enter a name for your team.';
    else if (name.length > 100) errors.name = 'Use at most 100 characters.';
    if (name && (!slug || !slugPattern.test(slug) || slug.length > 48)) errors.slug = 'Use lower-case letters, digits and single dashes, up to 48 characters (e.g. "canal-jazz").';
    if (Object.keys(errors).length > 0) return refuse(400, name, typedSlug, errors, 'Some details need fixing.');

    const result = await api(event).post<Team>('/api/auth/organization/create', { name, slug });
    if (!result.ok) {
      const taken = /ALREADY_EXISTS|SLUG/i.test(result.problem.code ?? '');
      if (taken) return refuse(409, name, slug, { slug: 'That web address is taken by another team: choose another.' }, 'Some details need fixing.');
      return refuse(result.status, name, typedSlug, {}, result.problem.message);
    }
    relaySetCookies(event.cookies, result.headers);
    if (await waitForMembership(event, result.data.id)) redirect(303, `/organiser/${result.data.id}`);
    // The team exists; the person's token has not caught up yet. The list page links to it.
    redirect(303, '/organiser');
  },
};
