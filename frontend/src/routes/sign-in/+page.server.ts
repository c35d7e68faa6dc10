import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { relaySetCookies } from '#lib/server/auth-cookies.ts';
import { safeNext } from '#lib/server/safe-next.ts';
import { socialProviders } from '#lib/server/social-providers.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  return { next, socialProviders: socialProviders(), reset: url.searchParams.get('reset') === 'done' };
};

export const actions: Actions = {
  password: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const next = safeNext(String(form.get('next') ?? ''));
    if (!email || !password) return fail(400, { email, next, message: 'Enter your email address and password.' });
    const result = await api(event).post('/api/auth/sign-in/email', { email, password, rememberMe: true });
    if (!result.ok) {
      const message = result.status === 401 ? 'That email address and password do not match an account.' : result.problem.message;
      // `next` goes back with the failure: the form posts to ?/password, whose URL has lost it.
      return fail(result.status === 401 ? 400 : result.status, { email, next, message });
    }
    relaySetCookies(event.cookies, result.headers);
    redirect(303, next);
  },
  social: async (event) => {
    const form = await event.request.formData();
    const provider = String(form.get('provider') ?? '');
    const next = safeNext(String(form.get('next') ?? ''));
    if (!socialProviders().some((p) => p.id === provider)) return fail(400, { next, message: 'That sign-in provider is not available.' });
    const result = await api(event).post<{ url?: string }>('/api/auth/sign-in/social', { provider, callbackURL: next, errorCallbackURL: '/sign-in' });
    if (!result.ok || !result.data.url) return fail(result.ok ? 502 : result.status, { next, message: result.ok ? 'The provider did not answer as expected.' : result.problem.message });
    relaySetCookies(event.cookies, result.headers);
    redirect(303, result.data.url);
  },
};
