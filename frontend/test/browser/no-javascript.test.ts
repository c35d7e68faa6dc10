/**
 * The core purchase with JavaScript turned off: every step is a link or a form
 * the server answers (progressive enhancement), the payment page included.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './support/browser.ts';
import { continueToPayment, holdTickets, openEvent, paidEvent, payWith } from './support/buying.ts';
import { cards, signUpAttendee } from './support/people.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('without JavaScript', () => {
  it('finds an event, holds, checks out, pays and shows the tickets', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();

    await signUpAttendee(page, 'Nora No-Script');
    await page.goto('/');
    await page.getByLabel('Search events').first().fill(paidEvent.title);
    await page.getByLabel('Search events').first().press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(paidEvent.title);
    await openEvent(page, paidEvent.title);
    await holdTickets(page, 2);
    await screenshot(page, 'no-js-checkout');
    await continueToPayment(page, 2);
    await payWith(page, cards.success);

    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/orders\//);
    // Without script the page refreshes itself (a meta refresh) until the payment is confirmed.
    await expect
      .poll(async () => {
        const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
        if (!heading.includes("You're going")) await page.reload();
        return heading;
      }, { timeout: 30_000, interval: 1_000 })
      .toContain("You're going");
    expect(await page.getByRole('img', { name: /QR code for ticket/ }).count()).toBe(2);
    await screenshot(page, 'no-js-confirmation');
    await context.close();
  });
});
