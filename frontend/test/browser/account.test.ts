/**
 * Accounts in the browser: sign up, sign out, sign in again, a wrong password,
 * and the organiser area refusing someone who is not in the team.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, demoPassword, launchBrowser, newContext, screenshot, signIn } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('accounts', () => {
  it('signs up, signs out and signs back in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const email = `new-${randomUUID().slice(0, 8)}@example.com`;
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Nia New');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText(email).first().isVisible()).toBe(true);
    await screenshot(page, 'account-signed-up');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await signIn(page, email, 'a-long-enough-password');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await context.close();
  });

  it('says so, in words, when the password is wrong', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(demo.attendee);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    await screenshot(page, 'account-wrong-password');
    await context.close();
  });

  it('after a mistyped password, still goes back where the person was headed', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/orders');
    await expect.poll(() => new URL(page.url()).searchParams.get('next')).toBe('/orders');
    await page.getByLabel('Email address').fill(demo.attendee);
    await page.getByLabel('Password', { exact: true }).fill('mistyped');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    await page.getByLabel('Password', { exact: true }).fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/orders');
    await context.close();
  });

  it('refuses an attendee an organiser page of a team they are not in', async () => {
    const events = (await (await fetch(`${inject('gatewayUrl')}/api/events?limit=1`)).json()) as { items: { organizationId: string }[] };
    const team = events.items[0]!.organizationId;
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, demo.attendee);
    const response = await page.goto(`/organiser/${team}`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('not a member');
    await screenshot(page, 'organiser-refused-attendee');

    await context.clearCookies();
    const signedOut = await page.goto(`/organiser/${team}`);
    expect(new URL(signedOut!.url()).pathname).toBe('/sign-in');
    await context.close();
  });
});
