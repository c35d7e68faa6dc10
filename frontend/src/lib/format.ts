/**
 * Money and time as people read them. Amounts arrive in minor units with an
 * ISO currency; times are shown in the venue's zone (an event in Lisbon starts
 * at 20:00 Lisbon time, wherever the reader is), with the zone named.
 */
const locale = 'en-GB';
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  return format;
}

/** Minor units shown as money: 1500 EUR → "€15.00". */
export function formatMoney(minor: number, currency: string): string {
  const digits = moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
  return moneyFormat(currency).format(minor / 10 ** digits);
}

/** "Free", or the price, or a range "€15.00 – €40.00". */
export function formatPriceRange(fromMinor: number, toMinor: number, currency: string): string {
  if (toMinor === 0) return 'Free';
  if (fromMinor === toMinor) return formatMoney(fromMinor, currency);
  return `${formatMoney(fromMinor, currency)} – ${formatMoney(toMinor, currency)}`;
}

/** Major units typed by an organiser ("12.50") → minor units, or undefined when not a price. */
export function parseMoney(text: string, currency: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(trimmed)) return undefined;
  const digits = moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
  const [whole, fraction = ''] = trimmed.split('.');
  if (fraction.length > digits) return undefined;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || 0);
}

function dateFormat(timeZone: string, style: 'long' | 'short' | 'time' | 'day'): Intl.DateTimeFormat {
  const key = `${timeZone}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === 'long'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
        : style === 'short'
          ? { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
          : style === 'time'
            ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
            : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** "Tuesday 1 December 2026 at 19:00 CET", in the venue's zone. */
export function formatEventDate(iso: string, timeZone: string): string {
  return dateFormat(timeZone, 'long').format(new Date(iso));
}

/** "Tue 1 Dec, 19:00", in the venue's zone: for cards and lists. */
export function formatShortDate(iso: string, timeZone: string): string {
  return dateFormat(timeZone, 'short').format(new Date(iso));
}

export function formatTime(iso: string, timeZone: string): string {
  return dateFormat(timeZone, 'time').format(new Date(iso));
}

export function formatDay(iso: string, timeZone = 'UTC'): string {
  return dateFormat(timeZone, 'day').format(new Date(iso));
}
