import type { Cookies } from '@sveltejs/kit';
import type { Attendee } from '#lib/types/orders.ts';

/**
 * The attendees of the buyer's latest checkout, kept in their own browser for
 * as long as a hold and its payment can last. order-service does not show a
 * pending order's attendees, yet paying again after a declined card is a new
 * checkout that must name them: with this, "Try again" needs no retyping.
 * Not a `twenny.` cookie: those are the session's, and go to the gateway.
 */
const cookieName = 'checkout-attendees';
// A hold lasts minutes; its payment page stays open ten minutes past it.
const maxAgeSeconds = 30 * 60;
// Browsers keep cookies up to about 4 KB: a checkout too large to remember is just not remembered.
const maxLength = 3500;

interface Remembered {
  reservationId: string;
  attendees: Attendee[];
}

export function rememberAttendees(cookies: Cookies, secure: boolean, reservationId: string, attendees: Attendee[]): void {
  const value = JSON.stringify({ reservationId, attendees } satisfies Remembered);
  if (encodeURIComponent(value).length > maxLength) return;
  cookies.set(cookieName, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds });
}

/** The remembered attendees of this hold, or undefined (another hold's, none, or unreadable). */
export function recallAttendees(cookies: Cookies, reservationId: string): Attendee[] | undefined {
  const raw = cookies.get(cookieName);
  // Longer than rememberAttendees ever writes: not ours.
  if (!raw || raw.length > maxLength) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Remembered>;
    if (parsed.reservationId !== reservationId || !Array.isArray(parsed.attendees)) return undefined;
    return parsed.attendees
      .filter((a): a is Attendee => !!a && typeof a.ticketTypeId === 'string' && typeof a.name === 'string' && typeof a.email === 'string')
      // Only the three fields: whatever else the cookie holds must not reach the checkout body.
      .map(({ ticketTypeId, name, email }) => ({ ticketTypeId, name, email }));
  } catch {
    return undefined;
  }
}

export function forgetAttendees(cookies: Cookies): void {
  if (cookies.get(cookieName) !== undefined) cookies.delete(cookieName, { path: '/' });
}
