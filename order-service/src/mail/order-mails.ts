import type { Mail, MailAttachment } from '@twenny/mail';

/**
 * The mails order-service sends, rendered from plain data: no I/O, so a use
 * case or job loads what they need, renders, and hands the result to the
 * mailer. Every value is text from someone else (organisers name events and
 * ticket types, buyers name attendees), so the HTML escapes all of it; subjects
 * are plain text with line breaks flattened.
 */

export interface OrderMailTicket {
  id: string;
  ticketTypeName: string;
  attendeeName: string;
  /** The signed ticket code (domain/ticket-code.ts), what the QR carries. */
  code: string;
  /** The QR image (tickets/ticket-qr.ts `ticketQrPng`), attached inline. */
  qrPng: Buffer;
}

interface OrderMailBase {
  buyerEmail: string;
  orderId: string;
  eventTitle: string;
  /** ISO 8601 instant. */
  eventStart: string;
  /** IANA time zone of the venue, e.g. Europe/Berlin: the date is shown as it is there. */
  timeZone: string;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  /** BCP 47 locale for dates and amounts; en-GB when not given. */
  locale?: string;
}

export interface OrderConfirmationMailInput extends OrderMailBase {
  /** The order's total in minor units (cents). */
  totalMinor: number;
  tickets: OrderMailTicket[];
  /** Where the buyer sees their tickets online (http/https only; left out otherwise). */
  ticketsUrl?: string;
}

export interface OrderRefundedMailInput extends OrderMailBase {
  /** The amount refunded, in minor units. */
  refundedMinor: number;
  /** Why, in words for the buyer (event cancelled, requested by you ...). */
  reason: string;
}

export interface RenderedMail extends Mail {
  attachments: MailAttachment[];
}

const defaultLocale = 'en-GB';

export function orderConfirmationMail(input: OrderConfirmationMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const when = formatEventStart(input.eventStart, input.timeZone, locale);
  const total = formatMoney(input.totalMinor, input.currency, locale);
  const count = input.tickets.length === 1 ? '1 ticket' : `${input.tickets.length} tickets`;
  const link = safeHttpUrl(input.ticketsUrl);
  const tickets = input.tickets.map((ticket, index) => ({
    ...ticket,
    number: index + 1,
    cid: `ticket-${index + 1}-${ticket.id.replace(/[^A-Za-z0-9-]/g, '')}@twenny`,
  }));

  const text = [
    `Thank you for your order. Here are your tickets for ${input.eventTitle}.`,
    '',
    `Event: ${input.eventTitle}`,
    `When: ${when}`,
    `Order: ${input.orderId}`,
    `Total paid: ${total} (${count})`,
    '',
    ...tickets.flatMap((t) => [`Ticket ${t.number}: ${t.ticketTypeName}, for ${t.attendeeName}`, `  Code: ${t.code}`, '']),
    'Show the QR code (or read out the code) at the door. Each ticket admits one person, once.',
    ...(link ? ['', `Your tickets online: ${link}`] : []),
    '',
  ].join('\n');

  const html = page(
    `<p>Thank you for your order. Here are your tickets for <strong>${escape(input.eventTitle)}</strong>.</p>` +
      details([
        ['Event', escape(input.eventTitle)],
        ['When', escape(when)],
        ['Order', `<code>${escape(input.orderId)}</code>`],
        ['Total paid', `${escape(total)} (${count})`],
      ]) +
      tickets
        .map(
          (t) =>
            `<div style="border:1px solid #ddd;border-radius:8px;padding:16px;margin:16px 0;">` +
            `<p style="margin:0 0 8px;"><strong>Ticket ${t.number}: ${escape(t.ticketTypeName)}</strong><br>for ${escape(t.attendeeName)}</p>` +
            `<img src="cid:${escape(t.cid)}" width="183" height="183" alt="QR code of ticket ${t.number}" style="display:block;width:183px;height:183px;">` +
            `<p style="margin:8px 0 0;font-family:monospace;font-size:11px;word-break:break-all;color:#555;">${escape(t.code)}</p>` +
            `</div>`,
        )
        .join('') +
      `<p>Show the QR code (or read out the code) at the door. Each ticket admits one person, once.</p>` +
      (link ? `<p><a href="${escape(link)}">See your tickets online</a></p>` : ''),
  );

  return {
    to: input.buyerEmail,
    subject: oneLine(`Your tickets for ${input.eventTitle}`),
    text,
    html,
    attachments: tickets.map((t) => ({ filename: `ticket-${t.number}.png`, content: t.qrPng, contentType: 'image/png', cid: t.cid })),
  };
}

export function orderRefundedMail(input: OrderRefundedMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const when = formatEventStart(input.eventStart, input.timeZone, locale);
  const amount = formatMoney(input.refundedMinor, input.currency, locale);

  const text = [
    `Your order for ${input.eventTitle} has been refunded.`,
    '',
    `Event: ${input.eventTitle}`,
    `When: ${when}`,
    `Order: ${input.orderId}`,
    `Refunded: ${amount}`,
    `Reason: ${input.reason}`,
    '',
    'The tickets of this order are no longer valid. The money goes back to the way you paid; depending on your bank it can take a few days to show.',
    '',
  ].join('\n');

  const html = page(
    `<p>Your order for <strong>${escape(input.eventTitle)}</strong> has been refunded.</p>` +
      details([
        ['Event', escape(input.eventTitle)],
        ['When', escape(when)],
        ['Order', `<code>${escape(input.orderId)}</code>`],
        ['Refunded', escape(amount)],
        ['Reason', escape(input.reason)],
      ]) +
      `<p>The tickets of this order are no longer valid. The money goes back to the way you paid; depending on your bank it can take a few days to show.</p>`,
  );

  return { to: input.buyerEmail, subject: oneLine(`Refund for your order: ${input.eventTitle}`), text, html, attachments: [] };
}

/**
 * An amount in minor units, in the currency's own number of decimals (JPY 0,
 * EUR 2, KWD 3). Integer arithmetic on the digits: no floating point drift.
 */
export function formatMoney(minor: number, currency: string, locale = defaultLocale): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount must be a whole number of minor units, got ${minor}`);
  const format = cached(moneyFormats, `${locale} ${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency }));
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  // Intl formats a decimal string exactly (no conversion to a float).
  return format.format(`${sign}${decimal}` as Intl.StringNumericLiteral);
}

/**
 * The event's start as it reads at the venue, e.g. "Friday, 5 June 2026 at
 * 19:30 CEST". An unknown time zone falls back to UTC, labelled as such, rather
 * than losing the mail.
 */
export function formatEventStart(iso: string, timeZone: string, locale = defaultLocale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`event start is not a date: ${JSON.stringify(iso).slice(0, 60)}`);
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  const format = (zone: string) => cached(dateFormats, `${locale} ${zone}`, () => new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }));
  try {
    return format(timeZone).format(date);
  } catch {
    return format('UTC').format(date);
  }
}

// Building an Intl formatter costs far more than using one (a mail per order on sale day): keep them, a few hundred at most.
const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(formats: Map<string, T>, key: string, make: () => T): T {
  let format = formats.get(key);
  if (format === undefined) {
    format = make();
    if (formats.size >= 500) formats.clear();
    formats.set(key, format);
  }
  return format;
}

function details(rows: Array<[string, string]>): string {
  return (
    `<table role="presentation" style="border-collapse:collapse;margin:16px 0;">` +
    rows.map(([label, value]) => `<tr><td style="padding:2px 16px 2px 0;color:#555;vertical-align:top;">${label}</td><td style="padding:2px 0;">${value}</td></tr>`).join('') +
    `</table>`
  );
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:16px;">${body}<p style="color:#777;font-size:12px;">twenny</p></body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Subjects are one line: a title with line breaks must not start new headers (nodemailer also guards this). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
}

function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}
