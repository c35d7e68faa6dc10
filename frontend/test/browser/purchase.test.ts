/**
 * Buying in the browser: two tickets with the success card (QR codes shown),
 * a declined card, and a hold that runs out during checkout.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cspViolations, launchBrowser, newContext, screenshot, seriousAccessibilityViolations } from './support/browser.ts';
import { continueToPayment, holdTickets, openEvent, paidEvent, payWith } from './support/buying.ts';
import { cards, signUpAttendee } from './support/people.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function freshBuyer(): Promise<Page> {
  const page = await (await newContext(browser)).newPage();
  await signUpAttendee(page);
  return page;
}

/** Every QR image on the page has loaded an actual picture. */
async function loadedQrCodes(page: Page): Promise<number> {
  const images = page.getByRole('img', { name: /QR code for ticket/ });
  const count = await images.count();
  let loaded = 0;
  for (let i = 0; i < count; i++) if (await images.nth(i).evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0)) loaded++;
  return loaded;
}

describe('buying tickets', () => {
  it('buys two tickets with the success card and shows them with QR codes', async () => {
    const page = await freshBuyer();
    await openEvent(page, paidEvent.title);
    await screenshot(page, 'purchase-1-event');
    await holdTickets(page, 2);
    await expect.poll(() => page.getByText(/left/).first().isVisible()).toBe(true);
    // The first ticket is prefilled with the buyer's own name and email.
    expect(await page.getByLabel('Name for ticket 1').inputValue()).toBe('Bea Buyer');
    expect(await page.getByLabel('Email for ticket 1').inputValue()).toMatch(/^buyer-.*@example\.com$/);
    await screenshot(page, 'purchase-2-checkout');
    await continueToPayment(page, 2);
    await payWith(page, cards.success);

    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/orders\//);
    // The webhook may land a moment after the buyer: the page confirms once it has.
    await expect.poll(async () => (await page.getByRole('heading', { level: 1 }).textContent()) ?? '', { timeout: 20_000 }).toContain("You're going");
    await expect.poll(() => loadedQrCodes(page), { timeout: 10_000 }).toBe(2);
    await screenshot(page, 'purchase-3-confirmation');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(cspViolations).toEqual([]);

    await page.getByRole('link', { name: 'My tickets' }).click();
    await expect.poll(() => page.getByText(paidEvent.title).first().isVisible()).toBe(true);
    await screenshot(page, 'purchase-4-my-tickets');
    await page.context().close();
  });

  it('says a declined card was declined, and a second card then pays', async () => {
    const page = await freshBuyer();
    await openEvent(page, paidEvent.title);
    await holdTickets(page, 1);
    await continueToPayment(page, 1);
    await payWith(page, cards.declined);

    await expect.poll(() => page.getByText(/declined/i).first().isVisible(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'purchase-declined');
    await page.getByRole('button', { name: /try (again|another card)/i }).click();
    await payWith(page, cards.success);
    await expect.poll(async () => (await page.getByRole('heading', { level: 1 }).textContent()) ?? '', { timeout: 20_000 }).toContain("You're going");
    await page.context().close();
  });

  it('lets a buyer whose card was declined give the tickets up', async () => {
    const page = await freshBuyer();
    await openEvent(page, paidEvent.title);
    await holdTickets(page, 1);
    await continueToPayment(page, 1);
    await payWith(page, cards.declined);
    await expect.poll(() => page.getByText(/declined/i).first().isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('button', { name: 'Let the tickets go' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('released')).toBe('1');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(paidEvent.title);
    await page.context().close();
  });

  it('lets a buyer whose hold ran out start again', async () => {
    const page = await freshBuyer();
    await openEvent(page, paidEvent.title);
    await holdTickets(page, 1);
    await page.getByLabel('Name for ticket 1').fill('Late Larry');
    await page.getByLabel('Email for ticket 1').fill('larry@example.com');
    // The hold lasts holdSeconds on the test platform; wait it out on the checkout page.
    await page.waitForTimeout((inject('holdSeconds') + 3) * 1000);
    await page.getByRole('button', { name: 'Continue to payment' }).click();

    await expect.poll(() => page.getByText(/hold has expired/i).first().isVisible()).toBe(true);
    await screenshot(page, 'purchase-hold-expired');
    await page.getByRole('link', { name: 'Start again' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(paidEvent.title);
    await page.context().close();
  });
});
