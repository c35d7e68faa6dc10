import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const cards = { success: '4242 4242 4242 4242', declined: '4000 0000 0000 0002' } as const;

/** A new attendee, signed up through the site's form and left signed in: each test buys within its own per-buyer limit. */
export async function signUpAttendee(page: Page, name = 'Bea Buyer'): Promise<string> {
  const email = `buyer-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  return email;
}
