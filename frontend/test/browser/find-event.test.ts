/**
 * Finding an event: a search from the home page, then filters, with the state
 * in the URL (so a link can be shared and the back button works).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrated, launchBrowser, newContext, phone, screenshot } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});


describe('finding an event', () => {
  it('searches from the home page, filters by city and category, and goes back', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await screenshot(page, 'find-1-home');
    await page.getByLabel('Search events').first().fill('music');
    await page.getByLabel('Search events').first().press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/events');
    expect(new URL(page.url()).searchParams.get('q')).toBe('music');

    await page.goto('/events');
    await hydrated(page);
    await page.getByLabel('City').selectOption('Amsterdam');
    await page.getByRole('button', { name: /apply|search|show/i }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('city')).toBe('Amsterdam');
    const inAmsterdam = await page.getByRole('article').count();
    expect(inAmsterdam).toBeGreaterThan(0);

    await hydrated(page);
    await page.getByLabel('Category').selectOption('music');
    await page.getByRole('button', { name: /apply|search|show/i }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBe('music');
    await expect.poll(() => page.getByRole('link', { name: 'Canal Jazz Night' }).isVisible()).toBe(true);
    expect(await page.getByRole('article').count()).toBeLessThan(inAmsterdam);
    await screenshot(page, 'find-2-filtered');

    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('category') || null).toBeNull();
    expect(new URL(page.url()).searchParams.get('city')).toBe('Amsterdam');
    await context.close();
  });

  it('keeps a filter picked before the page script has loaded', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // A slow connection: the page shows (server-rendered) well before its script runs.
    let release: () => void = () => {};
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    await page.goto('/events', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('City').selectOption('Lisbon');
    release();
    await hydrated(page);
    expect(await page.getByLabel('City').inputValue()).toBe('Lisbon');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('city')).toBe('Lisbon');
    await context.close();
  });

  it('shows the shared link of a filtered list on a phone as it was', async () => {
    const context = await newContext(browser, { viewport: phone });
    const page = await context.newPage();
    await page.goto('/events?city=Lisbon&category=music');
    await expect.poll(() => page.getByRole('link', { name: 'Fado by Candlelight' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: 'Web Platform Conference' }).count()).toBe(0);
    await screenshot(page, 'find-3-shared-link-phone');
    await context.close();
  });
});
