import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { relaySetCookies } from '#lib/server/auth-cookies.ts';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST (the header's form); a GET just goes home.
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async (event) => {
    const result = await api(event).post('/api/auth/sign-out', {});
    relaySetCookies(event.cookies, result.headers);
    // Whatever the API said, this browser forgets the session.
    for (const name of ['twenny.session_token', 'twenny.session_data', '__Secure-twenny.session_token', '__Secure-twenny.session_data']) {
      if (event.cookies.get(name) !== undefined) event.cookies.delete(name, { path: '/' });
    }
    redirect(303, '/');
  },
};
