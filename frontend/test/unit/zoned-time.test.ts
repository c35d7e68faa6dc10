import { describe, expect, it } from 'vitest';
import { isTimeZone, utcToZonedLocal, zonedLocalToUtc } from '../../src/lib/zoned-time.ts';

describe('zonedLocalToUtc', () => {
  it('reads a winter and a summer time at the venue', () => {
    expect(zonedLocalToUtc('2026-12-06T20:30', 'Europe/Amsterdam')).toBe('2026-12-06T19:30:00.000Z');
    expect(zonedLocalToUtc('2027-07-01T20:00', 'Europe/Amsterdam')).toBe('2027-07-01T18:00:00.000Z');
    expect(zonedLocalToUtc('2027-07-01T20:00', 'America/New_York')).toBe('2027-07-02T00:00:00.000Z');
    expect(zonedLocalToUtc('2027-01-01T00:00', 'Asia/Kolkata')).toBe('2026-12-31T18:30:00.000Z');
    expect(zonedLocalToUtc('2027-01-01T00:00:30', 'UTC')).toBe('2027-01-01T00:00:30.000Z');
  });

  it('reads a time skipped by spring-forward as the same reading after the gap', () => {
    // Amsterdam skips 02:00–03:00 on 28 March 2027: 02:30 means 03:30 CEST.
    expect(zonedLocalToUtc('2027-03-28T02:30', 'Europe/Amsterdam')).toBe('2027-03-28T01:30:00.000Z');
    expect(zonedLocalToUtc('2027-03-14T02:30', 'America/New_York')).toBe('2027-03-14T07:30:00.000Z');
    // The minutes either side of the gap are exact.
    expect(zonedLocalToUtc('2027-03-28T01:59', 'Europe/Amsterdam')).toBe('2027-03-28T00:59:00.000Z');
    expect(zonedLocalToUtc('2027-03-28T03:00', 'Europe/Amsterdam')).toBe('2027-03-28T01:00:00.000Z');
  });

  it('reads a time repeated by fall-back as the earlier instant', () => {
    expect(zonedLocalToUtc('2027-10-31T02:30', 'Europe/Amsterdam')).toBe('2027-10-31T00:30:00.000Z');
    expect(zonedLocalToUtc('2027-11-07T01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
    // Southern hemisphere: Sydney leaves daylight time on 4 April 2027.
    expect(zonedLocalToUtc('2027-04-04T02:30', 'Australia/Sydney')).toBe('2027-04-03T15:30:00.000Z');
  });

  it('refuses what is not a date-time, a real day, or a zone', () => {
    expect(zonedLocalToUtc('2027-02-30T10:00', 'Europe/Amsterdam')).toBeUndefined();
    expect(zonedLocalToUtc('2027-03-01 20:00', 'Europe/Amsterdam')).toBeUndefined();
    expect(zonedLocalToUtc('2027-03-01T24:00', 'Europe/Amsterdam')).toBeUndefined();
    expect(zonedLocalToUtc('', 'Europe/Amsterdam')).toBeUndefined();
    expect(zonedLocalToUtc('2027-03-01T20:00', 'Mars/Olympus_Mons')).toBeUndefined();
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('utcToZonedLocal', () => {
  it('shows an instant as the venue wall clock, for datetime-local', () => {
    expect(utcToZonedLocal('2026-12-06T19:30:00.000Z', 'Europe/Amsterdam')).toBe('2026-12-06T20:30');
    expect(utcToZonedLocal('2027-04-03T15:30:00.000Z', 'Australia/Sydney')).toBe('2027-04-04T02:30');
    expect(utcToZonedLocal('not a date', 'Europe/Amsterdam')).toBe('');
  });

  it('round-trips every hour across both Amsterdam changes of 2027, except the skipped one', () => {
    for (const day of ['2027-03-28', '2027-10-31']) {
      for (let hour = 0; hour < 24; hour++) {
        const local = `${day}T${String(hour).padStart(2, '0')}:15`;
        const back = utcToZonedLocal(zonedLocalToUtc(local, 'Europe/Amsterdam')!, 'Europe/Amsterdam');
        expect(back).toBe(day === '2027-03-28' && hour === 2 ? `${day}T03:15` : local);
      }
    }
  });
});
