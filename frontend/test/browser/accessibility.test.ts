/**
 * Every main page, at a phone's width and a desktop's: axe-core finds no
 * serious or critical violation, and a screenshot of each is kept. Also
 * reports the client JavaScript the event page loads (gzip), against a budget.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cspViolations, demo, desktop, launchBrowser, newContext, phone, screenshot, seriousAccessibilityViolations, signIn } from './support/browser.ts';
import { holdTickets, paidEvent } from './support/buying.ts';
import { signUpAttendee } from './support/people.ts';
import { giveEventACover } from './support/api-organiser.ts';
import { outputDir } from './support/settings.ts';

let browser: Browser;
let eventPath: string;
let team: string;
let eventId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const found = (await (await fetch(`${inject('gatewayUrl')}/api/events?q=${encodeURIComponent(paidEvent.title)}`)).json()) as { items: { id: string; slug: string; organizationId: string }[] };
  const event = found.items[0]!;
  eventPath = `/events/${event.slug}`;
  team = event.organizationId;
  eventId = event.id;
  // Pages are checked as people see them: with a cover image (its markup and loading too).
  await giveEventACover(event, 'A sun over a night-blue stage');
});
afterAll(async () => {
  await browser?.close();
});

const widths = [
  ['phone', phone],
  ['desktop', desktop],
] as const;

async function checkPage(page: Page, name: string, width: string) {
  const violations = await seriousAccessibilityViolations(page);
  await screenshot(page, `page-${name}-${width}`);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // The site's Content-Security-Policy blocked nothing the page needs.
  expect(cspViolations).toEqual([]);
}

describe.each(widths)('accessibility at %s width', (width, viewport) => {
  it('public and attendee pages: home, list, event, checkout, my tickets', async () => {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await page.goto('/');
    await checkPage(page, 'home', width);
    await page.goto('/sign-in');
    await checkPage(page, 'sign-in', width);
    await page.goto('/events');
    await checkPage(page, 'events', width);
    await page.goto(eventPath);
    await checkPage(page, 'event', width);
    await signUpAttendee(page, 'Axel Access');
    await page.goto(eventPath);
    await holdTickets(page, 1);
    await checkPage(page, 'checkout', width);
    await page.goto('/orders');
    await checkPage(page, 'my-tickets', width);
    await context.close();
  });

  it('organiser pages: events, dashboard, event editor, check-in, attendees, team', async () => {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signIn(page, demo.organiser);
    await page.goto(`/organiser/${team}`);
    await checkPage(page, 'organiser-events', width);
    await page.goto(`/organiser/${team}/events/${eventId}`);
    await checkPage(page, 'organiser-dashboard', width);
    await page.goto(`/organiser/${team}/events/${eventId}/edit`);
    await checkPage(page, 'event-editor', width);
    await page.goto(`/organiser/${team}/events/${eventId}/check-in`);
    await checkPage(page, 'check-in', width);
    await page.goto(`/organiser/${team}/events/${eventId}/attendees`);
    await checkPage(page, 'attendees', width);
    await page.goto(`/organiser/${team}/team`);
    await checkPage(page, 'team', width);
    await context.close();
  });
});

describe('the event page', () => {
  it('loads a small client bundle', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const scripts: { url: string; bytes: number; gzip: number }[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const body = await response.body().catch(() => undefined);
      if (body) scripts.push({ url: new URL(response.url()).pathname, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
    });
    await page.goto(eventPath, { waitUntil: 'networkidle' });
    const total = scripts.reduce((sum, s) => ({ bytes: sum.bytes + s.bytes, gzip: sum.gzip + s.gzip }), { bytes: 0, gzip: 0 });
    writeFileSync(join(outputDir, 'event-page-bundle.json'), JSON.stringify({ page: eventPath, total, scripts }, null, 2));
    console.log(`event page client JavaScript: ${scripts.length} files, ${(total.bytes / 1024).toFixed(1)} KiB, ${(total.gzip / 1024).toFixed(1)} KiB gzip`);
    expect(scripts.length).toBeGreaterThan(0);
    // A budget, not a timing: the page must stay light on a phone's connection.
    expect(total.gzip).toBeLessThan(100 * 1024);
    await context.close();
  });
});
