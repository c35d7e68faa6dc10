/**
 * The event editor's form ↔ the catalog API. The form speaks as organisers do
 * (prices in major units, times on the venue's wall clock); the API takes minor
 * units and UTC instants. Reading a form gives back what was typed (to show it
 * again), the request body, and the reasons it cannot be sent yet.
 */
import { blankTicketType } from '#lib/event-editor.ts';
import { formatMoney, parseMoney } from '#lib/format.ts';
import type { EventFormValues, OrganiserEvent, TicketType, TicketTypeValues } from '#lib/types/organiser.ts';
import { isTimeZone, utcToZonedLocal, zonedLocalToUtc } from '#lib/zoned-time.ts';
import { isKnownCurrency } from './editor-options.ts';

export interface TicketTypeBody {
  name: string;
  description: string;
  priceMinor: number;
  capacity: number;
  minPerOrder: number;
  maxPerOrder: number;
  salesStartAt: string | null;
  salesEndAt: string | null;
  hidden: boolean;
}

export const ticketField = (row: number | string, name: keyof TicketTypeValues) => `ticketTypes.${row}.${name}`;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export function blankEvent(): EventFormValues {
  return {
    title: '',
    description: '',
    category: '',
    tags: '',
    venueName: '',
    venueAddress: '',
    venueCity: '',
    venueCountry: '',
    venueTimeZone: '',
    startsAt: '',
    endsAt: '',
    currency: 'EUR',
    refundable: false,
    refundHours: '48',
    ticketTypes: [blankTicketType()],
  };
}

/** Minor units as a price field shows them: 1250 EUR → "12.50", 1500 JPY → "1500". */
export function majorText(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
}

export function ticketTypeValues(type: TicketType, currency: string, zone: string): TicketTypeValues {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    price: majorText(type.priceMinor, currency),
    capacity: String(type.capacity),
    minPerOrder: String(type.minPerOrder),
    maxPerOrder: String(type.maxPerOrder),
    salesStartAt: type.salesStartAt ? utcToZonedLocal(type.salesStartAt, zone) : '',
    salesEndAt: type.salesEndAt ? utcToZonedLocal(type.salesEndAt, zone) : '',
    hidden: type.hidden,
  };
}

/** The editor's fields filled from a saved event. */
export function eventValues(event: OrganiserEvent): EventFormValues {
  const zone = event.venue.timeZone;
  return {
    title: event.title,
    description: event.description,
    category: event.category,
    tags: event.tags.join(', '),
    venueName: event.venue.name,
    venueAddress: event.venue.address,
    venueCity: event.venue.city,
    venueCountry: event.venue.country,
    venueTimeZone: zone,
    startsAt: utcToZonedLocal(event.startsAt, zone),
    endsAt: utcToZonedLocal(event.endsAt, zone),
    currency: event.currency,
    refundable: event.refundPolicy.refundable,
    refundHours: event.refundPolicy.refundable ? String(event.refundPolicy.untilHoursBeforeStart) : '48',
    ticketTypes: event.ticketTypes.map((type) => ticketTypeValues(type, event.currency, zone)),
  };
}

/** One ticket type's fields as typed, from `ticketTypes.<row>.*`. */
export function readTicketType(form: FormData, row: number | string): TicketTypeValues {
  const get = (name: keyof TicketTypeValues) => text(form, ticketField(row, name));
  const id = get('id');
  return {
    ...(id && { id }),
    name: get('name'),
    description: get('description'),
    price: get('price'),
    capacity: get('capacity'),
    minPerOrder: get('minPerOrder'),
    maxPerOrder: get('maxPerOrder'),
    salesStartAt: get('salesStartAt'),
    salesEndAt: get('salesEndAt'),
    hidden: form.get(ticketField(row, 'hidden')) === 'on',
  };
}

/** The rows of ticket types the form holds (`ticketTypes.<n>.name` for each n it sent). */
export function ticketRows(form: FormData): number[] {
  const rows = new Set<number>();
  for (const key of form.keys()) {
    const match = /^ticketTypes\.(\d{1,3})\./.exec(key);
    if (match) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

export function readEventForm(form: FormData): EventFormValues {
  return {
    title: text(form, 'title'),
    description: String(form.get('description') ?? '').trim(),
    category: text(form, 'category'),
    tags: text(form, 'tags'),
    venueName: text(form, 'venueName'),
    venueAddress: text(form, 'venueAddress'),
    venueCity: text(form, 'venueCity'),
    venueCountry: text(form, 'venueCountry').toUpperCase(),
    venueTimeZone: text(form, 'venueTimeZone'),
    startsAt: text(form, 'startsAt'),
    endsAt: text(form, 'endsAt'),
    currency: text(form, 'currency').toUpperCase(),
    refundable: form.get('refundable') === 'yes',
    refundHours: text(form, 'refundHours'),
    ticketTypes: ticketRows(form).map((row) => readTicketType(form, row)),
  };
}

/** Whether a ticket-type row was left empty (the create form offers rows that may stay unused). */
export function isBlankTicketType(values: TicketTypeValues): boolean {
  return !values.name && !values.price && !values.capacity && !values.description;
}

function wholeNumber(value: string, min: number, max: number): number | undefined {
  if (!/^\d{1,7}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

// catalog-service's ceiling for a price, in minor units (1,000,000.00 EUR; 100,000,000 JPY).
const maxPriceMinor = 100_000_000;

function instant(value: string, zone: string): string | undefined {
  return zonedLocalToUtc(value, zone);
}

/** A ticket type's request body, or the reasons (keyed `ticketTypes.<row>.<field>`) it cannot be sent. */
export function ticketTypeBody(values: TicketTypeValues, row: number | string, currency: string, zone: string): { body?: TicketTypeBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const key = (name: keyof TicketTypeValues) => ticketField(row, name);
  if (!values.name) errors[key('name')] = 'Give the ticket type a name, e.g. "Standing".';
  const priceMinor = isKnownCurrency(currency) ? parseMoney(values.price, currency) : undefined;
  if (priceMinor === undefined) errors[key('price')] = 'Enter a price like 12.50, or 0 for free tickets.';
  else if (priceMinor > maxPriceMinor) errors[key('price')] = `A ticket can cost at most ${formatMoney(maxPriceMinor, currency)}.`;
  const capacity = wholeNumber(values.capacity, 1, 1_000_000);
  if (capacity === undefined) errors[key('capacity')] = 'Enter how many tickets there are: a whole number from 1 to 1,000,000.';
  const minPerOrder = values.minPerOrder ? wholeNumber(values.minPerOrder, 1, 100) : 1;
  if (minPerOrder === undefined) errors[key('minPerOrder')] = 'A whole number from 1 to 100.';
  const maxPerOrder = values.maxPerOrder ? wholeNumber(values.maxPerOrder, 1, 100) : 10;
  if (maxPerOrder === undefined) errors[key('maxPerOrder')] = 'A whole number from 1 to 100.';
  const salesStartAt = values.salesStartAt ? instant(values.salesStartAt, zone) : null;
  if (salesStartAt === undefined) errors[key('salesStartAt')] = 'Enter a date and time, or leave it empty to sell from publication.';
  const salesEndAt = values.salesEndAt ? instant(values.salesEndAt, zone) : null;
  if (salesEndAt === undefined) errors[key('salesEndAt')] = 'Enter a date and time, or leave it empty to sell until the event ends.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: { name: values.name, description: values.description, priceMinor: priceMinor!, capacity: capacity!, minPerOrder: minPerOrder!, maxPerOrder: maxPerOrder!, salesStartAt: salesStartAt!, salesEndAt: salesEndAt!, hidden: values.hidden },
    errors,
  };
}

function tagsOf(value: string): string[] {
  return [...new Set(value.split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

function refundPolicyOf(values: EventFormValues, errors: Record<string, string>) {
  if (!values.refundable) return { refundable: false as const };
  const hours = wholeNumber(values.refundHours, 0, 8760);
  if (hours === undefined) {
    errors.refundHours = 'Enter a whole number of hours from 0 to 8760 (a year).';
    return undefined;
  }
  return { refundable: true as const, untilHoursBeforeStart: hours };
}

/** The details every save sends (create and edit alike), read in the venue's zone. */
function detailsBody(values: EventFormValues, zone: string, errors: Record<string, string>) {
  if (!values.title) errors.title = 'Enter a title.';
  if (!values.category) errors.category = 'Choose a category.';
  if (!isKnownCurrency(values.currency)) errors.currency = 'Choose a currency.';
  const tags = tagsOf(values.tags);
  if (tags.length > 20 || tags.some((tag) => tag.length > 40)) errors.tags = 'At most 20 tags, each up to 40 characters.';
  let startsAt: string | undefined;
  let endsAt: string | undefined;
  if (isTimeZone(zone)) {
    startsAt = instant(values.startsAt, zone);
    if (!startsAt) errors.startsAt = 'Enter the date and time the event starts.';
    endsAt = instant(values.endsAt, zone);
    if (!endsAt) errors.endsAt = 'Enter the date and time the event ends.';
    else if (startsAt && endsAt <= startsAt) errors.endsAt = 'The end must be after the start.';
  }
  const refundPolicy = refundPolicyOf(values, errors);
  return { title: values.title, description: values.description, category: values.category, tags, startsAt: startsAt!, endsAt: endsAt!, currency: values.currency, refundPolicy: refundPolicy! };
}

/**
 * POST /api/events from the create form. Empty ticket-type rows are skipped;
 * `rows[i]` is the form row of the API's `ticketTypes[i]`, to put its errors back.
 */
export function createEventBody(values: EventFormValues, organizationId: string) {
  const errors: Record<string, string> = {};
  if (!values.venueName) errors.venueName = 'Enter the name of the venue.';
  if (!values.venueAddress) errors.venueAddress = 'Enter the street address.';
  if (!values.venueCity) errors.venueCity = 'Enter the city.';
  if (!/^[A-Z]{2}$/.test(values.venueCountry)) errors.venueCountry = 'Choose the country.';
  if (!isTimeZone(values.venueTimeZone)) errors.venueTimeZone = "Choose the venue's time zone: the event's times are read in it.";
  const zone = values.venueTimeZone;
  const details = detailsBody(values, zone, errors);
  const rows: number[] = [];
  const ticketTypes: TicketTypeBody[] = [];
  values.ticketTypes.forEach((type, row) => {
    if (isBlankTicketType(type)) return;
    const { body, errors: typeErrors } = ticketTypeBody(type, row, values.currency, isTimeZone(zone) ? zone : 'UTC');
    Object.assign(errors, typeErrors);
    if (body) {
      rows.push(row);
      ticketTypes.push(body);
    }
  });
  if (Object.keys(errors).length > 0) return { errors, rows };
  const venue = { name: values.venueName, address: values.venueAddress, city: values.venueCity, country: values.venueCountry, timeZone: zone };
  return { body: { organizationId, ...details, venue, ticketTypes }, errors, rows };
}

/** PATCH /api/events/:id from the edit form (the venue cannot change: the API keeps it). */
export function patchEventBody(values: EventFormValues, zone: string) {
  const errors: Record<string, string> = {};
  const details = detailsBody(values, zone, errors);
  return Object.keys(errors).length > 0 ? { errors } : { body: details, errors };
}

const eventFieldOfApi: Record<string, string> = {
  'venue.name': 'venueName',
  'venue.address': 'venueAddress',
  'venue.city': 'venueCity',
  'venue.country': 'venueCountry',
  'venue.timeZone': 'venueTimeZone',
  venue: 'venueName',
  refundPolicy: 'refundHours',
  'refundPolicy.untilHoursBeforeStart': 'refundHours',
};

const ticketFieldOfApi: Record<string, keyof TicketTypeValues> = { priceMinor: 'price' };

/** An API field of a ticket type (`capacity`, `priceMinor` ...) → the form field of `row`. */
export function ticketTypeFormField(apiField: string, row: number | string): string | undefined {
  const name = Object.hasOwn(ticketFieldOfApi, apiField) ? ticketFieldOfApi[apiField]! : apiField;
  return ['name', 'description', 'price', 'capacity', 'minPerOrder', 'maxPerOrder', 'salesStartAt', 'salesEndAt', 'hidden'].includes(name) ? ticketField(row, name as keyof TicketTypeValues) : undefined;
}

/**
 * An API field of an event (dots, as apiFieldPath spells it) → the editor's field; `rows` maps API
 * ticket-type indexes to form rows. A ticket type no row holds (the edit form's details hold none)
 * has no field: its reason goes into the sentence on top instead of next to a field the page lacks.
 */
export function eventFormField(apiPath: string, rows: number[] = []): string | undefined {
  const ticket = /^ticketTypes\.(\d+)\.(\w+)$/.exec(apiPath);
  if (ticket) {
    const row = rows[Number(ticket[1])];
    return row === undefined ? undefined : ticketTypeFormField(ticket[2]!, row);
  }
  // Own keys only: `constructor` or `__proto__` must not answer with Object's.
  if (Object.hasOwn(eventFieldOfApi, apiPath)) return eventFieldOfApi[apiPath];
  return ['title', 'description', 'category', 'tags', 'startsAt', 'endsAt', 'currency'].includes(apiPath) ? apiPath : undefined;
}
