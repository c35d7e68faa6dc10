import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { relaySetCookies } from '#lib/server/auth-cookies.ts';
import { safeNext } from '#lib/server/safe-next.ts';
import type { Actions, PageServerLoad } from './$types';

const minPasswordLength = 8;

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  return { next, minPasswordLength };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const next = safeNext(String(form.get('next') ?? ''));
    const errors: Record<string, string> = {};
    if (!name) errors.name = 'Enter your name.';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.';
    if (password.length < minPasswordLength) errors.password = `Use at least ${minPasswordLength} characters.`;
    if (Object.keys(errors).length > 0) return fail(400, { name, email, errors, message: 'Some details need fixing.' });

    const result = await api(event).post('/api/auth/sign-up/email', { name, email, password });
    if (!result.ok) {
      const taken = result.problem.code === 'USER_ALREADY_EXISTS' || result.problem.code?.includes('ALREADY_EXISTS');
      const message = taken ? 'An account with this email address already exists. Sign in instead.' : result.problem.message;
      return fail(result.status === 422 || taken ? 400 : result.status, { name, email, errors: result.problem.fields, message });
    }
    relaySetCookies(event.cookies, result.headers);
    redirect(303, next);
  },
};
