import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '', invalid: url.searchParams.get('error') === 'INVALID_TOKEN' });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const token = String(form.get('token') ?? '');
    const password = String(form.get('password') ?? '');
    if (!token) return fail(400, { message: 'This link is incomplete. Ask for a new one.' });
    if (password.length < 8) return fail(400, { message: 'Use at least 8 characters.' });
    const result = await api(event).post('/api/auth/reset-password', { token, newPassword: password });
    if (!result.ok) return fail(400, { message: result.problem.code === 'INVALID_TOKEN' ? 'This link has expired or was already used. Ask for a new one.' : result.problem.message });
    redirect(303, '/sign-in?reset=done');
  },
};
