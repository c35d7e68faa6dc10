import { describe, expect, it } from 'vitest';
import { createEventInput, eventPatch, ticketTypeInput } from '../../../catalog-service/src/http/schemas.ts';
import { createEventBody, eventFormField, majorText, patchEventBody, readEventForm, readTicketType, ticketRows, ticketTypeBody, ticketTypeFormField } from '../../src/lib/server/event-form.ts';
import { formErrors } from '../../src/lib/server/form-errors.ts';
import { toProblem } from '../../src/lib/server/problem.ts';
import type { TicketTypeValues } from '../../src/lib/types/organiser.ts';

const orgId = '3f6a2b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';

/** A posted form, as a browser (or anyone with curl) sends it. */
function form(fields: Record<string, string> | [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) data.append(name, value);
  return data;
}

const details = {
  title: 'Canal Jazz Night',
  description: '  Live jazz on the water.  ',
  category: 'music',
  tags: 'Jazz, live, jazz, ',
  venueName: 'Bimhuis',
  venueAddress: 'Piet Heinkade 3',
  venueCity: 'Amsterdam',
  venueCountry: 'nl',
  venueTimeZone: 'Europe/Amsterdam',
  startsAt: '2027-12-06T20:30',
  endsAt: '2027-12-06T23:00',
  currency: 'eur',
  refundable: 'yes',
  refundHours: '48',
};

const standing = { 'ticketTypes.0.name': 'Standing', 'ticketTypes.0.price': '12.50', 'ticketTypes.0.capacity': '200' };

const ticket = (values: Partial<TicketTypeValues> = {}): TicketTypeValues => ({
  name: 'Standing',
  description: '',
  price: '12.50',
  capacity: '200',
  minPerOrder: '',
  maxPerOrder: '',
  salesStartAt: '',
  salesEndAt: '',
  hidden: false,
  ...values,
});

/** Every number anywhere in `value` (to prove no NaN, Infinity or fraction slipped into a body). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('the create form → POST /api/events', () => {
  it('reads a filled-in form into the body catalog-service takes: minor units, UTC instants, defaults', () => {
    const values = readEventForm(
      form({
        ...details,
        ...standing,
        'ticketTypes.1.name': 'Balcony',
        'ticketTypes.1.price': '0',
        'ticketTypes.1.capacity': '40',
        'ticketTypes.1.minPerOrder': '2',
        'ticketTypes.1.maxPerOrder': '4',
        'ticketTypes.1.salesStartAt': '2027-11-01T10:00',
        'ticketTypes.1.salesEndAt': '2027-12-06T20:00',
        'ticketTypes.1.hidden': 'on',
        // A row the organiser left empty.
        'ticketTypes.2.name': '',
        'ticketTypes.2.price': '',
      }),
    );
    const { body, errors, rows } = createEventBody(values, orgId);
    expect(errors).toEqual({});
    expect(rows).toEqual([0, 1]);
    expect(body).toEqual({
      organizationId: orgId,
      title: 'Canal Jazz Night',
      description: 'Live jazz on the water.',
      category: 'music',
      tags: ['jazz', 'live'],
      startsAt: '2027-12-06T19:30:00.000Z',
      endsAt: '2027-12-06T22:00:00.000Z',
      currency: 'EUR',
      refundPolicy: { refundable: true, untilHoursBeforeStart: 48 },
      venue: { name: 'Bimhuis', address: 'Piet Heinkade 3', city: 'Amsterdam', country: 'NL', timeZone: 'Europe/Amsterdam' },
      ticketTypes: [
        { name: 'Standing', description: '', priceMinor: 1250, capacity: 200, minPerOrder: 1, maxPerOrder: 10, salesStartAt: null, salesEndAt: null, hidden: false },
        { name: 'Balcony', description: '', priceMinor: 0, capacity: 40, minPerOrder: 2, maxPerOrder: 4, salesStartAt: '2027-11-01T09:00:00.000Z', salesEndAt: '2027-12-06T19:00:00.000Z', hidden: true },
      ],
    });
    expect(createEventInput.safeParse(body).success).toBe(true);
  });

  it('asks for every missing detail of an empty post, by field, and sends nothing', () => {
    const values = readEventForm(new FormData());
    expect(values.ticketTypes).toEqual([]);
    expect(values.refundable).toBe(false);
    const { body, errors } = createEventBody(values, orgId);
    expect(body).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['category', 'currency', 'title', 'venueAddress', 'venueCity', 'venueCountry', 'venueName', 'venueTimeZone']);
    for (const reason of Object.values(errors)) expect(reason).toMatch(/^[A-Z].+\.$/);
  });

  it('reads the first of repeated fields, whatever follows it', () => {
    const values = readEventForm(form([['title', 'First'], ['title', 'Second'], ['ticketTypes.0.price', '5'], ['ticketTypes.0.price', 'abc'], ['refundable', 'no'], ['refundable', 'yes']]));
    expect(values.title).toBe('First');
    expect(values.ticketTypes[0]!.price).toBe('5');
    expect(values.refundable).toBe(false);
  });

  it('reads only the rows 0–999 that the editor names, whatever else is posted under ticketTypes', () => {
    const posted = form({
      'ticketTypes.-1.name': 'minus one',
      'ticketTypes.99999999.name': 'far away',
      'ticketTypes.__proto__.name': 'prototype',
      'ticketTypes.constructor.name': 'constructor',
      'ticketTypes.1e3.name': 'exponent',
      'ticketTypes. 4.name': 'space',
      'ticketTypes.5': 'no field',
      'ticketTypes.2.name': 'Two',
      'ticketTypes.0.price': '1',
    });
    expect(ticketRows(posted)).toEqual([0, 2]);
    const values = readEventForm(posted);
    expect(values.ticketTypes.map((t) => t.name)).toEqual(['', 'Two']);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  });

  it('reads at most 1000 rows from a flood of them', () => {
    const flood = form(Array.from({ length: 5000 }, (_, i): [string, string] => [`ticketTypes.${i}.name`, `Type ${i}`]));
    const rows = ticketRows(flood);
    expect(rows).toHaveLength(1000);
    expect(rows.at(-1)).toBe(999);
  });

  it('keeps very long text as typed (catalog-service answers with the field to shorten, placed next to it)', () => {
    const long = 'x'.repeat(1_000_000);
    const values = readEventForm(form({ ...details, ...standing, title: ` ${long} `, 'ticketTypes.0.name': long }));
    expect(values.title).toBe(long);
    const { body } = createEventBody(values, orgId);
    expect(body?.title).toBe(long);
    const problem = toProblem(400, { detail: 'Some input is not valid; see `errors` for what to fix.', errors: [{ name: 'body.title', reason: 'Too big: expected string to have <=200 characters' }] });
    expect(formErrors(problem, (path) => eventFormField(path, [0])).fields).toEqual({ title: 'Too big: expected string to have <=200 characters' });
  });

  it('refuses more than 20 tags or a tag over 40 characters, and drops empty ones', () => {
    const many = Array.from({ length: 21 }, (_, i) => `tag${i}`).join(',');
    expect(createEventBody(readEventForm(form({ ...details, ...standing, tags: many })), orgId).errors.tags).toBeDefined();
    expect(createEventBody(readEventForm(form({ ...details, ...standing, tags: 'y'.repeat(10_000) })), orgId).errors.tags).toBeDefined();
    expect(createEventBody(readEventForm(form({ ...details, ...standing, tags: ',, ,' })), orgId).body?.tags).toEqual([]);
  });

  it.each(['XYZ', 'EURO', 'E', '€', '', 'x'.repeat(10_000)])('refuses the currency %j', (currency) => {
    const { body, errors } = createEventBody(readEventForm(form({ ...details, ...standing, currency })), orgId);
    expect(body).toBeUndefined();
    expect(errors.currency).toBe('Choose a currency.');
  });

  it.each(['Mars/Olympus_Mons', 'europe/nowhere', '', 'x'.repeat(10_000), '../../etc/passwd'])('refuses the time zone %j without reading any time in it', (venueTimeZone) => {
    const { body, errors } = createEventBody(readEventForm(form({ ...details, ...standing, venueTimeZone })), orgId);
    expect(body).toBeUndefined();
    expect(errors.venueTimeZone).toMatch(/time zone/);
    expect(errors.startsAt).toBeUndefined();
  });

  it.each(['Mars', 'N', 'NLD', '12', ''])('refuses the country %j', (venueCountry) => {
    expect(createEventBody(readEventForm(form({ ...details, ...standing, venueCountry })), orgId).errors.venueCountry).toBe('Choose the country.');
  });

  it.each([
    ['not a date', 'next friday'],
    ['a day that does not exist', '2027-02-30T20:00'],
    ['an hour that does not exist', '2027-03-01T24:00'],
    ['a space instead of T', '2027-03-01 20:00'],
    ['a time with an offset', '2027-03-01T20:00Z'],
    ['10 KB of digits', '2'.repeat(10_000)],
  ])('refuses a start that is %s', (_what, startsAt) => {
    const { body, errors } = createEventBody(readEventForm(form({ ...details, ...standing, startsAt })), orgId);
    expect(body).toBeUndefined();
    expect(errors.startsAt).toBe('Enter the date and time the event starts.');
  });

  it('reads a start in the spring-forward gap as the same reading after it, like the API', () => {
    // Amsterdam skips 02:00–03:00 on 28 March 2027.
    const { body } = createEventBody(readEventForm(form({ ...details, ...standing, startsAt: '2027-03-28T02:30', endsAt: '2027-03-28T05:00' })), orgId);
    expect(body?.startsAt).toBe('2027-03-28T01:30:00.000Z');
    expect(body?.endsAt).toBe('2027-03-28T03:00:00.000Z');
  });

  it('refuses an end at or before the start, also when the gap makes two readings one instant', () => {
    expect(createEventBody(readEventForm(form({ ...details, ...standing, endsAt: details.startsAt })), orgId).errors.endsAt).toBe('The end must be after the start.');
    // 02:30 in the gap is 03:30 CEST: an end at 03:30 is the same instant.
    const gap = createEventBody(readEventForm(form({ ...details, ...standing, startsAt: '2027-03-28T02:30', endsAt: '2027-03-28T03:30' })), orgId);
    expect(gap.errors.endsAt).toBe('The end must be after the start.');
  });

  it.each(['', '-1', '1.5', '8761', '99999999999', 'forever', '４８'])('refuses %j hours of refunds when refunds are on', (refundHours) => {
    const { body, errors } = createEventBody(readEventForm(form({ ...details, ...standing, refundHours })), orgId);
    expect(body).toBeUndefined();
    expect(errors.refundHours).toBe('Enter a whole number of hours from 0 to 8760 (a year).');
  });

  it.each(['on', 'true', 'YES', '1'])('takes refundable=%j as no refunds (only the radio\'s "yes" turns them on)', (refundable) => {
    const { body } = createEventBody(readEventForm(form({ ...details, ...standing, refundable, refundHours: 'garbage' })), orgId);
    expect(body?.refundPolicy).toEqual({ refundable: false });
  });

  it('puts ticket-type reasons on the form row they came from, and skips empty rows', () => {
    const values = readEventForm(form({ ...details, 'ticketTypes.0.name': '', 'ticketTypes.1.name': 'Balcony', 'ticketTypes.1.price': 'free', 'ticketTypes.1.capacity': '0' }));
    const { body, errors } = createEventBody(values, orgId);
    expect(body).toBeUndefined();
    expect(errors).toEqual({
      'ticketTypes.1.price': 'Enter a price like 12.50, or 0 for free tickets.',
      'ticketTypes.1.capacity': 'Enter how many tickets there are: a whole number from 1 to 1,000,000.',
    });
  });
});

describe('ticketTypeBody: one ticket type, for the edit page (POST/PATCH …/ticket-types)', () => {
  it.each([
    ['12.50', 'EUR', 1250],
    ['12,5', 'EUR', 1250],
    [' 7 ', 'EUR', 700],
    ['0', 'EUR', 0],
    ['1000000', 'EUR', 100_000_000],
    ['1500', 'JPY', 1500],
    ['100000000', 'JPY', 100_000_000],
    ['12.345', 'KWD', 12_345],
    ['100000', 'KWD', 100_000_000],
  ])('reads the price %j %s as %d minor units', (price, currency, priceMinor) => {
    const { body, errors } = ticketTypeBody(ticket({ price }), 0, currency, 'Europe/Amsterdam');
    expect(errors).toEqual({});
    expect(body?.priceMinor).toBe(priceMinor);
    expect(ticketTypeInput.safeParse(body).success).toBe(true);
  });

  it.each([
    ['1e9', 'EUR'],
    ['-5', 'EUR'],
    ['+5', 'EUR'],
    ['12.345', 'EUR'],
    ['12.5', 'JPY'],
    ['1,000', 'JPY'],
    ['abc', 'EUR'],
    ['０１', 'EUR'],
    ['١٢', 'EUR'],
    ['NaN', 'EUR'],
    ['Infinity', 'EUR'],
    ['0x10', 'EUR'],
    ['1 000', 'EUR'],
    ['€12', 'EUR'],
    ['12.', 'EUR'],
    ['.5', 'EUR'],
    ['', 'EUR'],
    ['9'.repeat(10_000), 'EUR'],
    ['12.50', 'XYZ'],
  ])('refuses the price %j in %s, saying what to type', (price, currency) => {
    const { body, errors } = ticketTypeBody(ticket({ price }), 3, currency, 'Europe/Amsterdam');
    expect(body).toBeUndefined();
    expect(errors).toEqual({ 'ticketTypes.3.price': 'Enter a price like 12.50, or 0 for free tickets.' });
  });

  it.each([
    ['1000000.01', 'EUR', '€1,000,000.00'],
    ['999999999', 'EUR', '€1,000,000.00'],
    ['100000001', 'JPY', 'JP¥100,000,000'],
    ['100000.001', 'KWD', 'KWD 100,000.000'],
  ])('refuses the price %j %s above what catalog-service takes, naming the most in the currency', (price, currency, most) => {
    const { body, errors } = ticketTypeBody(ticket({ price }), 0, currency, 'UTC');
    expect(body).toBeUndefined();
    expect(errors['ticketTypes.0.price']?.replace(/\s/g, ' ')).toBe(`A ticket can cost at most ${most}.`);
  });

  it.each(['0', '-1', '1.5', '99999999999', '1000001', '', 'lots', '1e3', '１０', ' '])('refuses the capacity %j', (capacity) => {
    const { body, errors } = ticketTypeBody(ticket({ capacity }), 'new', 'EUR', 'UTC');
    expect(body).toBeUndefined();
    expect(errors).toEqual({ 'ticketTypes.new.capacity': 'Enter how many tickets there are: a whole number from 1 to 1,000,000.' });
  });

  it.each([
    ['1', 1],
    ['1000000', 1_000_000],
    ['0042', 42],
  ])('takes the capacity %j as %d', (capacity, expected) => {
    expect(ticketTypeBody(ticket({ capacity }), 0, 'EUR', 'UTC').body?.capacity).toBe(expected);
  });

  it('refuses order limits outside 1–100 and fills in the API defaults for empty ones', () => {
    expect(ticketTypeBody(ticket({ minPerOrder: '0', maxPerOrder: '101' }), 0, 'EUR', 'UTC').errors).toEqual({
      'ticketTypes.0.minPerOrder': 'A whole number from 1 to 100.',
      'ticketTypes.0.maxPerOrder': 'A whole number from 1 to 100.',
    });
    expect(ticketTypeBody(ticket({ minPerOrder: '-1', maxPerOrder: '2.5' }), 0, 'EUR', 'UTC').body).toBeUndefined();
    expect(ticketTypeBody(ticket(), 0, 'EUR', 'UTC').body).toMatchObject({ minPerOrder: 1, maxPerOrder: 10 });
  });

  it('reads the sales window in the venue zone, a gap reading past the gap, and refuses what is not a time', () => {
    const { body } = ticketTypeBody(ticket({ salesStartAt: '2027-03-28T02:30', salesEndAt: '2027-10-31T02:30' }), 0, 'EUR', 'Europe/Amsterdam');
    // 02:30 is skipped in March (→ 03:30 CEST) and repeated in October (→ the earlier, CEST).
    expect(body).toMatchObject({ salesStartAt: '2027-03-28T01:30:00.000Z', salesEndAt: '2027-10-31T00:30:00.000Z' });
    expect(ticketTypeBody(ticket({ salesStartAt: '2027-02-29T10:00', salesEndAt: 'soon' }), 0, 'EUR', 'Europe/Amsterdam').errors).toEqual({
      'ticketTypes.0.salesStartAt': 'Enter a date and time, or leave it empty to sell from publication.',
      'ticketTypes.0.salesEndAt': 'Enter a date and time, or leave it empty to sell until the event ends.',
    });
    expect(ticketTypeBody(ticket({ salesStartAt: '2027-03-01T10:00' }), 0, 'EUR', 'Mars/Base').errors['ticketTypes.0.salesStartAt']).toBeDefined();
  });

  it('reads a row by any name the edit page posts, `new` and hostile ones alike', () => {
    const posted = form({ 'ticketTypes.new.name': ' VIP ', 'ticketTypes.new.hidden': 'on', 'ticketTypes.__proto__.name': 'Proto', 'ticketTypes.__proto__.id': 'tt-1', 'ticketTypes.__proto__.hidden': 'yes' });
    expect(readTicketType(posted, 'new')).toEqual({ name: 'VIP', description: '', price: '', capacity: '', minPerOrder: '', maxPerOrder: '', salesStartAt: '', salesEndAt: '', hidden: true });
    expect(readTicketType(posted, '__proto__')).toMatchObject({ id: 'tt-1', name: 'Proto', hidden: false });
    const { errors } = ticketTypeBody(readTicketType(posted, '__proto__'), '__proto__', 'EUR', 'UTC');
    expect(Object.keys(errors)).toEqual(['ticketTypes.__proto__.price', 'ticketTypes.__proto__.capacity']);
  });

  it('shows a saved price in the field so that reading it back gives the same minor units', () => {
    for (const [minor, currency] of [[1250, 'EUR'], [5, 'EUR'], [1500, 'JPY'], [12_345, 'KWD'], [100_000_000, 'KWD'], [0, 'JPY']] as const) {
      const { body } = ticketTypeBody(ticket({ price: majorText(minor, currency) }), 0, currency, 'UTC');
      expect(body?.priceMinor).toBe(minor);
    }
  });
});

describe('patchEventBody: the edit form (the venue is the saved one)', () => {
  it('sends the details without venue or ticket types, read in the saved zone', () => {
    const { body, errors } = patchEventBody({ ...readEventForm(form(details)), ticketTypes: [] }, 'America/New_York');
    expect(errors).toEqual({});
    expect(body).toMatchObject({ startsAt: '2027-12-07T01:30:00.000Z', endsAt: '2027-12-07T04:00:00.000Z', currency: 'EUR' });
    expect(body).not.toHaveProperty('venue');
    expect(body).not.toHaveProperty('ticketTypes');
    expect(eventPatch.safeParse(body).success).toBe(true);
  });

  it('gives field reasons, not a body, for a bad time or refund window', () => {
    const { body, errors } = patchEventBody({ ...readEventForm(form({ ...details, startsAt: '2027-02-30T20:00', refundHours: '-5' })), ticketTypes: [] }, 'Europe/Amsterdam');
    expect(body).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['refundHours', 'startsAt']);
  });
});

describe('any posted form: a body the API takes, or reasons by field — never an exception or NaN', () => {
  const hostile = ['', ' ', '0', '-1', '1.5', '1e9', '12.345', 'abc', '０１', 'NaN', 'Infinity', '99999999999', '__proto__', 'constructor', '<script>', '\u0000', 'x'.repeat(300), '2027-02-30T20:00', '2027-03-28T02:30', '1999-12-31T20:00'];
  const good: Record<string, string[]> = {
    title: ['Canal Jazz Night'],
    category: ['music', 'comedy'],
    venueCountry: ['NL', 'jp'],
    venueTimeZone: ['Europe/Amsterdam', 'Asia/Tokyo', 'America/New_York'],
    startsAt: ['2027-12-06T20:30', '2027-03-28T02:30', '2027-10-31T02:30'],
    endsAt: ['2027-12-06T23:00', '2027-12-07T01:00'],
    currency: ['EUR', 'JPY', 'KWD'],
    refundable: ['yes', 'no'],
    refundHours: ['0', '48', '8760'],
    'ticketTypes.0.price': ['0', '12', '12.50', '12.345', '1000000'],
    'ticketTypes.0.capacity': ['1', '500', '1000000'],
    'ticketTypes.0.minPerOrder': ['', '1', '4'],
    'ticketTypes.0.maxPerOrder': ['', '10', '100'],
    'ticketTypes.0.salesStartAt': ['', '2027-11-01T10:00'],
    'ticketTypes.0.salesEndAt': ['', '2027-12-06T20:00'],
  };
  // A fixed seed: the same thousand forms every run.
  let seed = 20_270_328;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;

  it('holds for a thousand forms mixing good and hostile values', () => {
    let sent = 0;
    for (let i = 0; i < 1000; i++) {
      const fields: Record<string, string> = { ...details, 'ticketTypes.0.name': 'Standing' };
      for (const [name, values] of Object.entries(good)) fields[name] = random() < 0.1 ? pick(hostile) : pick(values);
      const values = readEventForm(form(fields));
      const { body, errors, rows } = createEventBody(values, orgId);
      if (!body) {
        expect(Object.keys(errors).length).toBeGreaterThan(0);
        continue;
      }
      sent++;
      expect(errors).toEqual({});
      for (const number of numbersIn(body)) expect(Number.isSafeInteger(number)).toBe(true);
      // What the API's schema still refuses (years outside 2000–2100, NUL characters,
      // text too long) comes back as reasons the form puts next to a field.
      const parsed = createEventInput.safeParse(body);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        expect(eventFormField(path, rows), `API field ${path}`).toMatch(/^(title|category|startsAt|endsAt|ticketTypes\.0\.(salesStartAt|salesEndAt))$/);
      }
    }
    // The good values are good: many forms are sent (each has 15 chances of a hostile value).
    expect(sent).toBeGreaterThan(150);
  });
});

describe('eventFormField / ticketTypeFormField: where an API reason is shown', () => {
  it.each([
    ['title', 'title'],
    ['venue.timeZone', 'venueTimeZone'],
    ['venue', 'venueName'],
    ['refundPolicy.untilHoursBeforeStart', 'refundHours'],
    ['ticketTypes.0.priceMinor', 'ticketTypes.0.price'],
    ['ticketTypes.1.capacity', 'ticketTypes.2.capacity'],
  ])('puts %j next to %j', (path, field) => {
    expect(eventFormField(path, [0, 2])).toBe(field);
  });

  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'venue.__proto__',
    'ticketTypes',
    'ticketTypes.0',
    'ticketTypes.0.__proto__',
    'ticketTypes.0.constructor',
    'ticketTypes.0.sortOrder',
    'ticketTypes.-1.name',
    'ticketTypes.7.name',
    'ticketTypes.99999999999999999999.name',
    'title.0',
    'organizationId',
    '',
  ])('has no field for %j (its reason goes on top of the form)', (path) => {
    expect(eventFormField(path, [0, 2])).toBeUndefined();
  });

  it('has no field for a ticket type on the edit form, which shows the details only', () => {
    // PATCH /api/events/:id answers `event.ticketTypes[0].salesEndAt` when a new end cuts a sales window.
    expect(eventFormField('ticketTypes.0.salesEndAt')).toBeUndefined();
  });

  it('maps a ticket type field to the row the edit page posted, and nothing else', () => {
    expect(ticketTypeFormField('priceMinor', 'new')).toBe('ticketTypes.new.price');
    expect(ticketTypeFormField('salesEndAt', 3)).toBe('ticketTypes.3.salesEndAt');
    for (const odd of ['constructor', '__proto__', 'toString', 'id', 'sortOrder', 'price.0', '']) expect(ticketTypeFormField(odd, 0)).toBeUndefined();
  });
});
