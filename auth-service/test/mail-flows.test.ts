import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { authClient, siteOrigin, uniqueEmail } from './support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from './support/auth-service.ts';

let auth: TestAuthService;

beforeAll(async () => {
  auth = await startTestAuthService();
});

afterAll(async () => {
  await auth?.stop();
});

/** A link from a mail, pointed at this test's auth-service instead of the site's origin (whose /api proxy leads there). */
function local(link: string): string {
  const url = new URL(link);
  return `${auth.url}${url.pathname}${url.search}`;
}

describe('mail', () => {
  it('sign-up sends a verification link that verifies the address', async () => {
    const client = authClient(auth.url);
    const email = uniqueEmail('verify');
    await client.api.signUp.email({ name: 'Vera', email, password: 'correct horse battery' });
    const mail = await auth.smtp.waitForMail(email, /Confirm your email/);
    const link = mail.links.find((l) => l.includes('/api/auth/verify-email'));
    expect(link).toMatch(/^http:\/\/localhost:3000\/api\/auth\/verify-email\?token=/);
    expect(mail.html).toContain('Confirm my email');

    const before = await client.api.getSession();
    expect(before.data!.user.emailVerified).toBe(false);
    const followed = await client.jar.fetch(local(link!));
    expect([200, 302]).toContain(followed.status);
    const after = await client.api.getSession();
    expect(after.data!.user.emailVerified).toBe(true);
  });

  it('a password reset mails a one-time link; the new password works, the old one and old sessions do not', async () => {
    const client = authClient(auth.url);
    const email = uniqueEmail('reset');
    await client.api.signUp.email({ name: 'Reese', email, password: 'the old password' });

    const stranger = authClient(auth.url);
    const asked = await stranger.api.requestPasswordReset({ email, redirectTo: `${siteOrigin}/reset-password` });
    expect(asked.error).toBeNull();
    const mail = await auth.smtp.waitForMail(email, /Reset your twenny password/);
    const link = mail.links.find((l) => l.includes('/api/auth/reset-password/'));
    expect(link).toBeDefined();

    // Following the link hands the token to the site's reset page.
    const followed = await fetch(local(link!), { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const landing = new URL(followed.headers.get('location')!);
    expect(landing.origin + landing.pathname).toBe(`${siteOrigin}/reset-password`);
    const token = landing.searchParams.get('token')!;
    expect(token).toBeTruthy();

    expect((await stranger.api.resetPassword({ newPassword: 'the new password', token })).error).toBeNull();
    expect((await stranger.api.resetPassword({ newPassword: 'a third password', token })).error?.status).toBe(400);
    expect((await authClient(auth.url).api.signIn.email({ email, password: 'the old password' })).error?.status).toBe(401);
    expect((await authClient(auth.url).api.signIn.email({ email, password: 'the new password' })).error).toBeNull();
    // The session from before the reset is gone.
    expect((await client.api.getSession()).data).toBeNull();
  });

  it('asking to reset an unknown address answers the same as a known one, and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const asked = await authClient(auth.url).api.requestPasswordReset({ email, redirectTo: `${siteOrigin}/reset-password` });
    expect(asked.error).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(auth.smtp.mails.some((m) => m.to.includes(email))).toBe(false);
  });
});

describe('when the mail server is down', () => {
  it('sign-up still succeeds and the failure is logged', async () => {
    const broken = await startTestAuthService({ SMTP_URL: 'smtp://127.0.0.1:1' });
    try {
      const result = await authClient(broken.url).api.signUp.email({ name: 'Nomail', email: uniqueEmail('nomail'), password: 'correct horse battery' });
      expect(result.error).toBeNull();
      await waitFor('the mail failure in the log', () => broken.logs.find((l) => l.msg === 'mail could not be sent'));
    } finally {
      await broken.stop();
    }
  });
});
