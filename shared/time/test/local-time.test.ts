import { describe, expect, it } from 'vitest';
import { isDateTimeInput, toInstant, toLocal } from '../src/local-time.ts';

const iso = (text: string, zone: string) => toInstant(text, zone)?.toISOString();

describe('event times in the venue\'s zone', () => {
  it.each([
    ['Europe/Amsterdam', '2027-03-12T20:00', '2027-03-12T19:00:00.000Z'],
    ['Europe/Amsterdam', '2027-07-12T20:00', '2027-07-12T18:00:00.000Z'],
    ['America/New_York', '2027-01-10T19:30', '2027-01-11T00:30:00.000Z'],
    ['Asia/Kathmandu', '2027-05-01T18:00', '2027-05-01T12:15:00.000Z'],
    ['Australia/Lord_Howe', '2027-01-15T20:00', '2027-01-15T09:00:00.000Z'],
    ['UTC', '2027-03-12T20:00:30', '2027-03-12T20:00:30.000Z'],
  ])('%s %s is %s', (zone, local, expected) => {
    expect(iso(local, zone)).toBe(expected);
    expect(toLocal(new Date(expected), zone)).toBe(local.slice(0, 16));
  });

  it.each([
    // Spring forward: the skipped clock time reads as the same time after the gap.
    ['Europe/Amsterdam', '2027-03-28T02:30', '2027-03-28T01:30:00.000Z'],
    ['Europe/London', '2027-03-28T01:30', '2027-03-28T01:30:00.000Z'],
    ['America/New_York', '2027-03-14T02:30', '2027-03-14T07:30:00.000Z'],
    ['Australia/Sydney', '2027-10-03T02:30', '2027-10-02T16:30:00.000Z'],
    ['Australia/Lord_Howe', '2027-10-03T02:15', '2027-10-02T15:45:00.000Z'],
  ])('in a gap, %s %s is read after the gap (%s)', (zone, local, expected) => {
    expect(iso(local, zone)).toBe(expected);
  });

  it.each([
    // Fall back: a repeated clock time means its first occurrence.
    ['Europe/Amsterdam', '2027-10-31T02:30', '2027-10-31T00:30:00.000Z'],
    ['America/New_York', '2027-11-07T01:30', '2027-11-07T05:30:00.000Z'],
    ['Australia/Lord_Howe', '2027-04-04T01:45', '2027-04-03T14:45:00.000Z'],
  ])('in an overlap, %s %s is the earlier instant (%s)', (zone, local, expected) => {
    expect(iso(local, zone)).toBe(expected);
  });

  it('takes an instant with an offset as given', () => {
    expect(iso('2027-03-12T19:00:00+01:00', 'America/New_York')).toBe('2027-03-12T18:00:00.000Z');
  });

  it.each(['2027-02-30T20:00', '2027-02-30T10:00:00Z', '2027-03-12T20:60', '2027-03-12T24:00', '2027-13-01T10:00', '0001-01-01T10:00', '9999-12-31T20:00', '1999-12-31T23:00:00Z', 'tomorrow', '2027-03-12 20:00'])('refuses %s', (text) => {
    expect(toInstant(text, 'Europe/Amsterdam')).toBeUndefined();
  });

  it.each(['0001-01-01T10:00', '9999-12-31T20:00', '2027-03-12 20:00'])('does not accept %s as input at all', (text) => {
    expect(isDateTimeInput(text)).toBe(false);
  });
});
