import { fail } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const email = String((await event.request.formData()).get('email') ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return fail(400, { email, message: 'Enter the email address of your account.' });
    const result = await api(event).post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    // The answer is the same whether or not the account exists: nobody learns who has one.
    if (!result.ok && result.status !== 404) return fail(result.status, { email, message: result.problem.message });
    return { sent: true, email };
  },
};
