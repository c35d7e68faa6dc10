import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { forgetAttendees, recallAttendees, rememberAttendees } from '../../src/lib/server/checkout-attendees.ts';
import type { Attendee } from '../../src/lib/types/orders.ts';

type CookieOptions = Parameters<Cookies['set']>[2];

/** The cookies of one browser, as SvelteKit's `Cookies` shows them to server code (a unit-test fake). */
function browserCookies(initial: Record<string, string> = {}) {
  const jar = new Map(Object.entries(initial));
  const written: { name: string; value: string; options: CookieOptions }[] = [];
  const deleted: string[] = [];
  const cookies = {
    get: (name: string) => jar.get(name),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string, options: CookieOptions) => {
      written.push({ name, value, options });
      jar.set(name, value);
    },
    delete: (name: string) => {
      deleted.push(name);
      jar.delete(name);
    },
    serialize: (name: string, value: string) => `${name}=${encodeURIComponent(value)}`,
  };
  return { cookies: cookies as unknown as Cookies, jar, written, deleted };
}

/** A browser sending back `value` (any text it likes) as the attendees cookie. */
const sending = (value: string) => browserCookies({ 'checkout-attendees': value }).cookies;

const ann: Attendee = { ticketTypeId: 'tt-standing', name: 'Ann Example', email: 'ann@example.com' };
const bob: Attendee = { ticketTypeId: 'tt-balcony', name: 'Bob Example', email: 'bob@example.com' };

describe('rememberAttendees / recallAttendees: "Try again" without retyping', () => {
  it('gives back the attendees of the same hold, in order', () => {
    const { cookies } = browserCookies();
    rememberAttendees(cookies, true, 'hold-1', [ann, bob]);
    expect(recallAttendees(cookies, 'hold-1')).toEqual([ann, bob]);
  });

  it("never gives one hold's attendees to another hold", () => {
    const { cookies } = browserCookies();
    rememberAttendees(cookies, true, 'hold-1', [ann]);
    expect(recallAttendees(cookies, 'hold-2')).toBeUndefined();
  });

  it('keeps them in an httpOnly, same-site cookie for half an hour, secure over https', () => {
    const { cookies, written } = browserCookies();
    rememberAttendees(cookies, true, 'hold-1', [ann]);
    rememberAttendees(cookies, false, 'hold-1', [ann]);
    expect(written.map((w) => w.options)).toEqual([
      { path: '/', httpOnly: true, sameSite: 'lax', secure: true, maxAge: 1800 },
      { path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 1800 },
    ]);
  });

  it('does not remember a checkout too large for a cookie (and so recalls nothing)', () => {
    const { cookies, written } = browserCookies();
    const many = Array.from({ length: 60 }, (_, i) => ({ ...ann, name: `Attendee number ${i}` }));
    rememberAttendees(cookies, true, 'hold-1', many);
    expect(written).toEqual([]);
    expect(recallAttendees(cookies, 'hold-1')).toBeUndefined();
  });

  it('forgets only when there is something to forget', () => {
    const empty = browserCookies();
    forgetAttendees(empty.cookies);
    expect(empty.deleted).toEqual([]);
    const full = browserCookies();
    rememberAttendees(full.cookies, true, 'hold-1', [ann]);
    forgetAttendees(full.cookies);
    expect(full.deleted).toEqual(['checkout-attendees']);
    expect(recallAttendees(full.cookies, 'hold-1')).toBeUndefined();
  });
});

describe('recallAttendees: a cookie the browser may have tampered with', () => {
  it('is undefined without the cookie, or with an empty one', () => {
    expect(recallAttendees(browserCookies().cookies, 'hold-1')).toBeUndefined();
    expect(recallAttendees(sending(''), 'hold-1')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{reservationId: hold-1'],
    ['URL-encoded JSON', encodeURIComponent(JSON.stringify({ reservationId: 'hold-1', attendees: [ann] }))],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"hold-1"'],
    ['a JSON array', JSON.stringify([ann])],
    ['an empty object', '{}'],
    ['no attendees', JSON.stringify({ reservationId: 'hold-1' })],
    ['attendees that are an object', JSON.stringify({ reservationId: 'hold-1', attendees: { 0: ann, length: 1 } })],
    ['attendees that are a string', JSON.stringify({ reservationId: 'hold-1', attendees: 'Ann' })],
    ['a reservation id of another hold', JSON.stringify({ reservationId: 'hold-2', attendees: [ann] })],
    ['a reservation id that is not a string', JSON.stringify({ reservationId: ['hold-1'], attendees: [ann] })],
    ['a reservation id only in __proto__', '{"__proto__":{"reservationId":"hold-1","attendees":[]},"attendees":[]}'],
    ['a lone surrogate', '{"reservationId":"\ud800","attendees":[]}'],
  ])('is undefined for %s, without throwing', (_what, value) => {
    expect(recallAttendees(sending(value), 'hold-1')).toBeUndefined();
  });

  it('drops the entries that are not attendees and keeps the ones that are', () => {
    const attendees = [null, 42, 'Ann', [], {}, { ...ann, name: 7 }, { ...ann, email: { toString: 'x' } }, { ...ann, ticketTypeId: null }, { name: 'No ticket type', email: 'x@example.com' }, bob];
    expect(recallAttendees(sending(JSON.stringify({ reservationId: 'hold-1', attendees })), 'hold-1')).toEqual([bob]);
  });

  it('gives back exactly three text fields per attendee: nothing else in the cookie reaches the checkout body', () => {
    const raw = JSON.stringify({ reservationId: 'hold-1', attendees: [{ ...ann, priceMinor: 0, ticketTypeId: ann.ticketTypeId, status: 'paid' }] });
    const recalled = recallAttendees(sending(raw), 'hold-1');
    expect(recalled).toStrictEqual([ann]);
  });

  it('reads `__proto__` keys as plain data: no prototype is changed, no attendee is made up', () => {
    const raw =
      '{"reservationId":"hold-1","attendees":[' +
      '{"__proto__":{"ticketTypeId":"tt-vip","name":"Ghost","email":"ghost@example.com"}},' +
      '{"ticketTypeId":"tt-standing","name":"Ann Example","email":"ann@example.com","__proto__":{"polluted":true}}' +
      ']}';
    const recalled = recallAttendees(sending(raw), 'hold-1');
    expect(recalled).toStrictEqual([ann]);
    expect(Object.getPrototypeOf(recalled![0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what rememberAttendees could never have written: a 10 KB email, a huge array', () => {
    const longEmail = JSON.stringify({ reservationId: 'hold-1', attendees: [{ ...ann, email: `${'a'.repeat(10_000)}@example.com` }] });
    expect(recallAttendees(sending(longEmail), 'hold-1')).toBeUndefined();
    const huge = JSON.stringify({ reservationId: 'hold-1', attendees: Array.from({ length: 100_000 }, () => ann) });
    expect(recallAttendees(sending(huge), 'hold-1')).toBeUndefined();
    const deep = `{"reservationId":"hold-1","attendees":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    expect(recallAttendees(sending(deep), 'hold-1')).toBeUndefined();
  });

  it('still reads the largest checkout it remembers', () => {
    const { cookies, written } = browserCookies();
    // 3500 characters once URL-encoded is the most rememberAttendees writes.
    const attendees = Array.from({ length: 25 }, (_, i) => ({ ...ann, name: `Attendee ${String(i).padStart(2, '0')}` }));
    rememberAttendees(cookies, true, 'hold-1', attendees);
    expect(written).toHaveLength(1);
    expect(encodeURIComponent(written[0]!.value).length).toBeGreaterThan(3000);
    expect(recallAttendees(cookies, 'hold-1')).toEqual(attendees);
  });
});
