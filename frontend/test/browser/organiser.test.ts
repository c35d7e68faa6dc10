/**
 * An organiser in the browser: creates an event with its ticket types, gives it
 * a cover image, publishes it and finds it in search; then checks a ticket in
 * at the door twice (admitted, then already used).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, hydrated, launchBrowser, newContext, screenshot, signIn } from './support/browser.ts';
import { buyDirectly, ticketQrSvg } from './support/api-buyer.ts';
import { fakeCameraFilming } from './support/fake-camera.ts';

let browser: Browser;
let team: string;
beforeAll(async () => {
  browser = await launchBrowser();
  const events = (await (await fetch(`${inject('gatewayUrl')}/api/events?limit=1`)).json()) as { items: { organizationId: string }[] };
  team = events.items[0]!.organizationId;
});
afterAll(async () => {
  await browser?.close();
});

async function coverImageFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'twenny-cover-')), 'stage.jpg');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"><defs><linearGradient id="g"><stop offset="0" stop-color="#4338ca"/><stop offset="1" stop-color="#db2777"/></linearGradient></defs><rect width="1600" height="900" fill="url(#g)"/><circle cx="800" cy="450" r="220" fill="#fde68a"/></svg>`;
  writeFileSync(path, await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer());
  return path;
}

/** A datetime-local value some days ahead, at 20:00. */
function daysAhead(days: number, hour = 20): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return `${date.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

async function fillEventDetails(page: Page, title: string) {
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Description', { exact: true }).fill('An evening of new songs, played on a stage by the water.');
  await page.getByLabel('Category', { exact: true }).selectOption('music');
  await page.getByLabel('Venue name', { exact: true }).fill('Het Podium');
  await page.getByLabel('Address', { exact: true }).fill('Oostelijke Handelskade 1');
  await page.getByLabel('City', { exact: true }).fill('Amsterdam');
  await page.getByLabel('Country', { exact: true }).selectOption('NL');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Amsterdam');
  await page.getByLabel('Starts', { exact: true }).fill(daysAhead(20));
  await page.getByLabel('Ends', { exact: true }).fill(daysAhead(20, 23));
  await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
  const first = page.getByRole('group', { name: 'Ticket type 1' });
  await first.getByLabel('Ticket name', { exact: true }).fill('Standing');
  await first.getByLabel('Price', { exact: true }).fill('19.50');
  await first.getByLabel('Capacity', { exact: true }).fill('200');
  const second = page.getByRole('group', { name: 'Ticket type 2' });
  await second.getByLabel('Ticket name', { exact: true }).fill('Balcony');
  await second.getByLabel('Price', { exact: true }).fill('29');
  await second.getByLabel('Capacity', { exact: true }).fill('40');
}

describe('organising an event', () => {
  it('creates, illustrates and publishes an event that then appears in search', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, demo.organiser);
    await page.goto(`/organiser/${team}`);
    await page.getByRole('link', { name: 'New event' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('New event');
    await hydrated(page);

    const title = `Harbour Songs ${randomUUID().slice(0, 6)}`;
    await fillEventDetails(page, title);
    await screenshot(page, 'organiser-1-new-event');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Edit event');
    await hydrated(page);

    await page.getByLabel('Cover image').setInputFiles(await coverImageFile());
    await page.getByLabel('Alt text').fill('A yellow sun over a purple stage');
    await page.getByRole('button', { name: 'Upload cover image' }).click();
    const preview = page.getByRole('img', { name: 'A yellow sun over a purple stage' });
    await expect.poll(() => preview.isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, 'organiser-2-cover-uploaded');

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unpublish' }).isVisible()).toBe(true);

    // Search is fed by the bus: the published event arrives in the catalog's index within moments.
    await expect
      .poll(
        async () => {
          await page.goto(`/events?q=${encodeURIComponent(title)}`);
          return page.getByRole('link', { name: title }).count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'organiser-3-found-in-search');
    await page.getByRole('link', { name: title }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(title);
    const cover = page.getByRole('img', { name: 'A yellow sun over a purple stage' });
    await expect.poll(() => cover.evaluate((img) => (img as unknown as { currentSrc: string; naturalWidth: number }).naturalWidth > 0 && (img as unknown as { currentSrc: string }).currentSrc.includes('/media/')), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'organiser-4-public-page');

    // When a variant cannot be fetched, the placeholder stays, not a broken-image icon.
    const eventUrl = page.url();
    await context.close();
    const visitor = await newContext(browser);
    const unlucky = await visitor.newPage();
    await unlucky.route('**/media/**', (route) => route.fulfill({ status: 404, body: '' }));
    await unlucky.goto(eventUrl);
    await hydrated(unlucky);
    await expect.poll(() => unlucky.getByRole('img', { name: 'A yellow sun over a purple stage' }).count()).toBe(0);
    await visitor.close();
  });

  it('checks a ticket in at the door: admitted, then already used', async () => {
    const found = (await (await fetch(`${inject('gatewayUrl')}/api/events?q=${encodeURIComponent('Canal Jazz Night')}`)).json()) as { items: { id: string; organizationId: string }[] };
    const event = found.items[0]!;
    const { codes } = await buyDirectly(event.id, 1);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, demo.organiser);
    await page.goto(`/organiser/${event.organizationId}/events/${event.id}/check-in`);
    const verdict = page.getByRole('main').locator('[aria-live=assertive]');

    await page.getByLabel('Ticket code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Check in' }).click();
    await expect.poll(() => verdict.textContent()).toContain('Admitted');
    await screenshot(page, 'check-in-1-admitted');

    await page.getByLabel('Ticket code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Check in' }).click();
    await expect.poll(() => verdict.textContent()).toContain('Already used');
    await screenshot(page, 'check-in-2-already-used');

    await page.getByLabel('Ticket code').fill('TW1.nope.not-a-ticket.at-all');
    await page.getByRole('button', { name: 'Check in' }).click();
    await expect.poll(() => verdict.textContent()).toContain('Invalid');
    await context.close();
  });

  it('checks a ticket in from the camera, reading its QR code', async () => {
    const found = (await (await fetch(`${inject('gatewayUrl')}/api/events?q=${encodeURIComponent('Canal Jazz Night')}`)).json()) as { items: { id: string; organizationId: string }[] };
    const event = found.items[0]!;
    const bought = await buyDirectly(event.id, 1);
    const camera = await fakeCameraFilming(await ticketQrSvg(bought.ticketIds[0]!, bought.cookie));
    // Chromium's fake camera films the ticket; headless Chromium has no BarcodeDetector, so jsQR reads it.
    const filming = await launchBrowser({ extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`] });
    try {
      const context = await newContext(filming);
      await context.grantPermissions(['camera'], { origin: inject('siteUrl') });
      const page = await context.newPage();
      await signIn(page, demo.organiser);
      await page.goto(`/organiser/${event.organizationId}/events/${event.id}/check-in`);
      await hydrated(page);
      await page.getByRole('button', { name: 'Scan with camera' }).click();
      const verdict = page.getByRole('main').locator('[aria-live=assertive]');
      await expect.poll(() => verdict.textContent(), { timeout: 20_000 }).toContain('Admitted');
      await screenshot(page, 'check-in-3-camera');
      await page.getByRole('button', { name: 'Stop camera' }).click();
      await context.close();
    } finally {
      await filming.close();
    }
  });
});
