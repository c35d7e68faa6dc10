/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser),
 * headless, with the flags this kind of machine needs: no background
 * networking, no component updates, a fresh profile per context.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { outputDir } from './settings.ts';

export const phone = { width: 390, height: 844 };
export const desktop = { width: 1280, height: 900 };

export function launchBrowser(options: { extraArgs?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.extraArgs ?? [])],
  });
}

export function siteUrl(path = '/'): string {
  return new URL(path, inject('siteUrl')).toString();
}

/** What the browser refused under the site's Content-Security-Policy, in every context of this file. */
export const cspViolations: string[] = [];

export async function newContext(browser: Browser, options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? desktop, javaScriptEnabled: options.javaScriptEnabled ?? true, baseURL: inject('siteUrl'), locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(`${message.location().url}: ${message.text()}`);
  });
  return context;
}

/** Waits until the page's script has taken over (the root layout marks <html data-hydrated>). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

export const demoPassword = 'twenny-demo-password';
export const demo = { organiser: 'organiser@twenny.local', attendee: 'attendee@twenny.local' } as const;

/** Signs in through the site's own form, as a person would. */
export async function signIn(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.url()).not.toContain('/sign-in');
}

/** A full-page screenshot under test-results/browser/, named for what it shows. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(outputDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
// govern (a <script> tag would be refused, as it should be).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA rules and best practices). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // Runs in the page (the root tsconfig has no DOM types).
    const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> } };
    const results = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
