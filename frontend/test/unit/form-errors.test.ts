import { describe, expect, it } from 'vitest';
import { eventFormField, ticketTypeFormField } from '../../src/lib/server/event-form.ts';
import { apiFieldPath, formErrors, localErrors } from '../../src/lib/server/form-errors.ts';
import { toProblem } from '../../src/lib/server/problem.ts';

const invalid = 'Some input is not valid; see `errors` for what to fix.';
/** A 400 from the API naming `errors` as it does: `body.<path>` → reason. */
const refused = (errors: Record<string, string>, detail = invalid) => toProblem(400, { title: 'Invalid input', detail, errors: Object.entries(errors).map(([name, reason]) => ({ name, reason })) });

describe('apiFieldPath: the API spells fields three ways', () => {
  it.each([
    ['ticketTypes[0].capacity', 'ticketTypes.0.capacity'],
    ['ticketTypes.0.capacity', 'ticketTypes.0.capacity'],
    ['event.ticketTypes[12].salesEndAt', 'ticketTypes.12.salesEndAt'],
    ['a[0][1]', 'a.0.1'],
    ['title', 'title'],
    ['event', 'event'],
    ['event.', ''],
    ['event.event.title', 'event.title'],
    ['events.title', 'events.title'],
    ['ticketTypes[-1].name', 'ticketTypes[-1].name'],
    ['ticketTypes[x].name', 'ticketTypes[x].name'],
    ['ticketTypes[].name', 'ticketTypes[].name'],
    ['', ''],
  ])('reads %j as %j', (name, path) => {
    expect(apiFieldPath(name)).toBe(path);
  });

  it('reads a 100 KB path of brackets at once', () => {
    const started = performance.now();
    expect(apiFieldPath('[0]'.repeat(30_000) + '[')).toBe('.0'.repeat(30_000) + '[');
    expect(apiFieldPath('['.repeat(100_000) + '1'.repeat(1000))).toHaveLength(101_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('formErrors: each API reason next to its field, or on top — never lost', () => {
  it('places reasons by field and replaces the developer sentence', () => {
    const problem = refused({ 'body.ticketTypes[1].priceMinor': 'At most 100000000.', 'body.venue.timeZone': 'An IANA time zone, e.g. "Europe/Amsterdam".' });
    expect(formErrors(problem, (path) => eventFormField(path, [0, 3]))).toEqual({
      message: 'Some details need fixing: see the messages next to the fields.',
      fields: { 'ticketTypes.3.price': 'At most 100000000.', venueTimeZone: 'An IANA time zone, e.g. "Europe/Amsterdam".' },
    });
  });

  it('puts reasons no field shows into the sentence on top', () => {
    const problem = refused({ 'body.title': 'Must not be empty.', 'body.organizationId': 'Invalid UUID', 'body.ticketTypes': 'Too big: expected array to have <=100 items' });
    const { message, fields } = formErrors(problem, (path) => eventFormField(path, [0]));
    expect(fields).toEqual({ title: 'Must not be empty.' });
    expect(message).toBe('Some details need fixing: see the messages next to the fields. Invalid UUID Too big: expected array to have <=100 items');
  });

  it('shows the edit form why a ticket type stops a new date (the details form has no ticket-type fields)', () => {
    const problem = refused({ 'event.ticketTypes[0].salesEndAt': 'Sales cannot go on after the event has ended.' }, 'The event cannot be changed that way.');
    expect(formErrors(problem, (path) => eventFormField(path))).toEqual({ message: 'The event cannot be changed that way. Sales cannot go on after the event has ended.', fields: {} });
  });

  it('keeps the first reason for a field and the second on top', () => {
    const problem = refused({ 'body.venue': 'Give either venueId or venue, not both.', 'body.venue.name': 'Must not be empty.' });
    const { message, fields } = formErrors(problem, (path) => eventFormField(path));
    expect(fields).toEqual({ venueName: 'Give either venueId or venue, not both.' });
    expect(message).toContain('Must not be empty.');
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'ticketTypes[0].__proto__', 'ticketTypes[0].constructor'])('keeps the reason for a field named %j, on top, with only form fields placed', (name) => {
    const problem = refused({ [`body.${name}`]: 'Unrecognized key.', 'body.title': 'Must not be empty.' });
    const errors = formErrors(problem, (path) => eventFormField(path, [0]));
    expect(errors.fields).toEqual({ title: 'Must not be empty.' });
    expect(errors.message).toBe('Some details need fixing: see the messages next to the fields. Unrecognized key.');
    const ticket = formErrors(problem, (path) => ticketTypeFormField(path, 'new'));
    expect(ticket).toEqual({ message: 'Unrecognized key. Must not be empty.', fields: {} });
  });

  it('reads a field named __proto__ as nothing at all: no prototype changes, the other reasons stay', () => {
    const problem = toProblem(400, { detail: invalid, errors: [{ name: 'body.__proto__', reason: 'Polluted.' }, { name: 'body.title', reason: 'Must not be empty.' }] });
    const errors = formErrors(problem, (path) => eventFormField(path));
    expect(errors.fields).toEqual({ title: 'Must not be empty.' });
    expect(Object.getPrototypeOf(problem.fields)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).title).toBeUndefined();
  });

  it('does not lose a reason even when a field mapping answers a prototype name', () => {
    const problem = refused({ 'body.a': 'First.', 'body.b': 'Second.' });
    const errors = formErrors(problem, (path) => (path === 'a' ? '__proto__' : 'constructor'));
    expect(errors.fields).toEqual({});
    expect(errors.message).toBe('First. Second.');
    expect(Object.getPrototypeOf(errors.fields)).toBe(Object.prototype);
  });

  it('never shows the developer sentence, and does not repeat a reason the sentence already says', () => {
    expect(formErrors(toProblem(400, { detail: invalid }), () => undefined).message).toBe('Some details need fixing.');
    expect(formErrors(toProblem(400, { detail: 'Please see errors below.' }), () => undefined).message).toBe('Some details need fixing.');
    // With no field placed, the API's reasons are the sentence itself: each once.
    expect(formErrors(refused({ 'body.x': 'Too big.', 'body.y': 'Too small.' }), () => undefined).message).toBe('Too big. Too small.');
  });

  it('says something for a problem without a sentence or fields', () => {
    expect(formErrors(toProblem(500, 'oops'), eventFormField)).toEqual({ message: 'Something went wrong on our side. Please try again in a moment.', fields: {} });
  });

  it('handles a thousand reasons', () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`body.ticketTypes[${i}].capacity`, `Reason ${i}.`]));
    const rows = Array.from({ length: 1000 }, (_, i) => i * 2);
    const { fields } = formErrors(refused(many), (path) => eventFormField(path, rows));
    expect(Object.keys(fields)).toHaveLength(1000);
    expect(fields['ticketTypes.1998.capacity']).toBe('Reason 999.');
  });
});

describe('localErrors', () => {
  it('points at the fields with the same sentence as the API answers', () => {
    expect(localErrors({ title: 'Enter a title.' })).toEqual({ message: 'Some details need fixing: see the messages next to the fields.', fields: { title: 'Enter a title.' } });
  });
});
