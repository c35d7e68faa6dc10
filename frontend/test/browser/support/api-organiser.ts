/**
 * The demo organiser acting through the gateway, for tests that need an event
 * in a given state (with a cover, say) rather than to watch it being made.
 */
import sharp from 'sharp';
import { inject } from 'vitest';
import { waitFor } from '@twenny/testing';
import { demo, demoPassword } from './browser.ts';

async function organiserCookie(): Promise<string> {
  const response = await fetch(`${inject('gatewayUrl')}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { origin: inject('siteUrl'), 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.organiser, password: demoPassword }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.includes('session_token='))?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`organiser sign-in answered ${response.status}`);
  return cookie;
}

/** Uploads a generated picture as the event's cover and waits until catalog shows it. */
export async function giveEventACover(event: { id: string; slug: string; organizationId: string }, alt: string): Promise<void> {
  const cookie = await organiserCookie();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675"><rect width="1200" height="675" fill="#1e3a8a"/><circle cx="600" cy="340" r="160" fill="#f59e0b"/></svg>`;
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(await sharp(Buffer.from(svg)).jpeg().toBuffer())], { type: 'image/jpeg' }), 'cover.jpg');
  form.set('organizationId', event.organizationId);
  form.set('eventId', event.id);
  form.set('alt', alt);
  const upload = await fetch(`${inject('gatewayUrl')}/api/media/images`, { method: 'POST', headers: { cookie, origin: inject('siteUrl') }, body: form });
  if (upload.status !== 202) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  await waitFor(
    'the cover on the event',
    async () => ((await (await fetch(`${inject('gatewayUrl')}/api/events/${event.slug}`)).json()) as { coverImage: { alt: string } | null }).coverImage?.alt === alt,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}
