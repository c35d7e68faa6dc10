import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The demo event the purchase tests buy from: paid tickets, plenty left. */
export const paidEvent = { slug: 'canal-jazz-night', title: 'Canal Jazz Night' };

/** From the home page's search to the event page, as a person finds it. */
export async function openEvent(page: Page, title: string): Promise<void> {
  await page.goto(`/events?q=${encodeURIComponent(title)}`);
  await page.getByRole('link', { name: title }).first().click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(title);
}

/** Picks a quantity of the first ticket type and holds them: lands on the checkout. */
export async function holdTickets(page: Page, quantity: number): Promise<void> {
  const picker = page.getByLabel(/^Quantity for /).first();
  await picker.selectOption(String(quantity));
  await page.getByRole('button', { name: 'Get tickets' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/checkout\//);
}

/** Fills name and email for each ticket and goes on to the payment page. */
export async function continueToPayment(page: Page, tickets: number): Promise<void> {
  for (let n = 1; n <= tickets; n++) {
    await page.getByLabel(`Name for ticket ${n}`).fill(`Guest ${n}`);
    await page.getByLabel(`Email for ticket ${n}`).fill(`guest${n}@example.com`);
  }
  await page.getByRole('button', { name: 'Continue to payment' }).click();
}

/** On the test provider's hosted page: a card, then Pay. */
export async function payWith(page: Page, card: string): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { name: 'Test payment' }).isVisible()).toBe(true);
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay / }).click();
}
