import { describe, expect, it } from 'vitest';
import { formatEventStart, formatMoney, orderConfirmationMail, orderRefundedMail, type OrderConfirmationMailInput } from '../src/mail/order-mails.ts';

const hostileTitle = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
const hostileName = `Eve "the" <b>bold</b> O'Brien`;
const png = (byte: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, byte]);

const input: OrderConfirmationMailInput = {
  buyerEmail: 'pat@example.com',
  orderId: '0193c2a4-7c1e-7b8e-9d3f-1a2b3c4d5e6f',
  eventTitle: hostileTitle,
  eventStart: '2026-06-05T17:30:00Z',
  timeZone: 'Europe/Berlin',
  currency: 'EUR',
  totalMinor: 12345,
  tickets: [
    { id: '11111111-1111-4111-8111-111111111111', ticketTypeName: 'Standing <VIP>', attendeeName: hostileName, code: 'TW1.k1.AAAA.BBBB', qrPng: png(1) },
    { id: '22222222-2222-4222-8222-222222222222', ticketTypeName: 'Seated', attendeeName: 'Sam', code: 'TW1.k1.CCCC.DDDD', qrPng: png(2) },
  ],
};

describe('order confirmation mail', () => {
  const mail = orderConfirmationMail(input);

  it('goes to the buyer, with a one-line plain-text subject', () => {
    expect(mail.to).toBe('pat@example.com');
    expect(mail.subject).toBe(`Your tickets for ${hostileTitle}`);
    expect(orderConfirmationMail({ ...input, eventTitle: 'Line\r\nBcc: evil@example.com' }).subject).toBe('Your tickets for Line Bcc: evil@example.com');
  });

  it('escapes a hostile event title, ticket type and attendee name in the HTML', () => {
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).not.toContain('<b>bold</b>');
    expect(mail.html).not.toContain('<VIP>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('Eve &quot;the&quot; &lt;b&gt;bold&lt;/b&gt; O&#39;Brien');
    expect(mail.html).toContain('Standing &lt;VIP&gt;');
    // The only tags are the template's own.
    const tags = new Set([...mail.html.matchAll(/<\/?([a-z]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['body', 'br', 'code', 'div', 'head', 'html', 'img', 'meta', 'p', 'strong', 'table', 'td', 'tr'].sort());
  });

  it('the text version is plain text (unescaped) and lists every ticket with its code', () => {
    expect(mail.text).toContain(hostileTitle);
    expect(mail.text).toContain(`Ticket 1: Standing <VIP>, for ${hostileName}\n  Code: TW1.k1.AAAA.BBBB`);
    expect(mail.text).toContain('Ticket 2: Seated, for Sam\n  Code: TW1.k1.CCCC.DDDD');
    expect(mail.text).not.toContain('&lt;');
  });

  it('formats the total and the date at the venue', () => {
    expect(mail.text).toContain('Total paid: €123.45 (2 tickets)');
    expect(mail.html).toContain('€123.45 (2 tickets)');
    expect(mail.text).toMatch(/When: Friday,? 5 June 2026(,| at) 19:30 CEST\n/);
    expect(orderConfirmationMail({ ...input, tickets: input.tickets.slice(0, 1) }).text).toContain('(1 ticket)');
  });

  it('one inline PNG per ticket, referenced by a matching cid', () => {
    expect(mail.attachments).toHaveLength(2);
    mail.attachments.forEach((attachment, index) => {
      expect(attachment).toMatchObject({ filename: `ticket-${index + 1}.png`, contentType: 'image/png' });
      expect(attachment.content.equals(input.tickets[index]!.qrPng)).toBe(true);
      expect(attachment.cid).toMatch(/^[A-Za-z0-9.@-]+$/);
      expect(mail.html).toContain(`<img src="cid:${attachment.cid}"`);
    });
    expect(new Set(mail.attachments.map((a) => a.cid)).size).toBe(2);
    expect(mail.html.match(/src="cid:/g)).toHaveLength(2);
  });

  it('a hostile ticket id cannot break out of the cid', () => {
    const odd = orderConfirmationMail({ ...input, tickets: [{ ...input.tickets[0]!, id: '"><script>x</script>' }] });
    expect(odd.attachments[0]!.cid).toBe('ticket-1-scriptxscript@twenny');
    expect(odd.html).not.toContain('<script>');
  });

  it('links to the tickets online only with an http(s) URL', () => {
    expect(orderConfirmationMail({ ...input, ticketsUrl: 'https://twenny.example/tickets?order=1&x="' }).html).toContain('href="https://twenny.example/tickets?order=1&amp;x=%22"');
    expect(orderConfirmationMail({ ...input, ticketsUrl: 'javascript:alert(1)' }).html).not.toContain('javascript:');
    expect(mail.html).not.toContain('href=');
  });
});

describe('order refunded mail', () => {
  const mail = orderRefundedMail({
    buyerEmail: 'pat@example.com',
    orderId: 'o-1',
    eventTitle: hostileTitle,
    eventStart: '2026-12-31T22:00:00Z',
    timeZone: 'America/New_York',
    currency: 'USD',
    refundedMinor: 5000,
    reason: 'The organiser cancelled the event <sorry>',
  });

  it('states amount, reason and event, escaped in HTML, no attachments', () => {
    expect(mail.to).toBe('pat@example.com');
    expect(mail.subject).toBe(`Refund for your order: ${hostileTitle}`);
    expect(mail.text).toContain('Refunded: US$50.00');
    expect(mail.text).toContain('Reason: The organiser cancelled the event <sorry>');
    expect(mail.text).toMatch(/When: Thursday,? 31 December 2026(,| at) 17:00 (EST|GMT-5)\n/);
    expect(mail.html).toContain('The organiser cancelled the event &lt;sorry&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<sorry>');
    expect(mail.attachments).toEqual([]);
  });
});

describe('formatting', () => {
  it('amounts use the currency’s own decimals, exactly', () => {
    expect(formatMoney(12345, 'EUR')).toBe('€123.45');
    expect(formatMoney(5, 'EUR')).toBe('€0.05');
    expect(formatMoney(0, 'EUR')).toBe('€0.00');
    expect(formatMoney(1500, 'JPY')).toBe('JP¥1,500');
    expect(formatMoney(1234, 'KWD').replace(/\s/g, ' ')).toBe('KWD 1.234'); // ICU puts a no-break space there
    expect(formatMoney(900719925474099, 'EUR')).toBe('€9,007,199,254,740.99');
    expect(formatMoney(12345, 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('123,45 €');
    expect(formatMoney(-250, 'EUR')).toBe('-€2.50');
    expect(() => formatMoney(1.5, 'EUR')).toThrow(RangeError);
  });

  it('dates read as at the venue; an unknown zone falls back to labelled UTC', () => {
    // ICU's exact punctuation varies between versions; the parts that matter do not.
    expect(formatEventStart('2026-06-05T17:30:00Z', 'Asia/Tokyo')).toMatch(/^Saturday,? 6 June 2026(,| at) 02:30 GMT\+9$/);
    expect(formatEventStart('2026-06-05T17:30:00Z', 'Not/AZone')).toMatch(/^Friday,? 5 June 2026(,| at) 17:30 UTC$/);
    expect(() => formatEventStart('not a date', 'UTC')).toThrow(RangeError);
  });
});
