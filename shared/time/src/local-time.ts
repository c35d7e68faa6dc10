/**
 * Event times are entered as the venue's wall-clock time ("2027-03-12T20:00" in
 * Europe/Amsterdam) or as an instant with an offset. Stored as instants; shown
 * again in the venue's zone.
 */

/** The years an event may be in: anything else is a typo (and out of some clocks' range). */
const firstYear = 2000;
const lastYear = 2100;

const localDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` is a wall-clock date-time or an instant this module can read, in the years events may have. */
export function isDateTimeInput(text: string): boolean {
  if (!(localDateTime.test(text) || withOffset.test(text))) return false;
  const year = Number(text.slice(0, 4));
  return year >= firstYear && year <= lastYear;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `zone`, as if they were UTC (ms). */
function wallClockMs(instant: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** Whether year, month, day, hour, minute and second name a real moment (no 2027-02-30, no 20:60). */
function realFields(y: number, mo: number, d: number, h: number, mi: number, sec: number): boolean {
  if (y < firstYear || y > lastYear || h > 23 || mi > 59 || sec > 59) return false;
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
}

/** The zone's offset from UTC at `instant` (ms). */
function offsetAt(instant: number, zone: string): number {
  return wallClockMs(instant, zone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a date-time input: as given when it has an offset, else the
 * wall-clock time in `zone`. A time that a spring-forward gap skips means the
 * same clock reading after the gap (02:30 → 03:30); a time an autumn overlap
 * repeats means the earlier of the two. Undefined when unreadable, not a real
 * date (2027-02-30, 20:60) or outside the years events may have.
 */
export function toInstant(text: string, zone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!match || !(withOffset.test(text) || localDateTime.test(text))) return undefined;
  const [y, mo, d, h, mi, sec] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (!realFields(y, mo, d, h, mi, sec)) return undefined;
  if (withOffset.test(text)) return new Date(text);
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec);
  // The offsets a day either side: any transition near this time lies between them.
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const candidates = [wall - before, wall - after].filter((t) => wallClockMs(t, zone) === wall).sort((a, b) => a - b);
  // No candidate: the time is in a gap; the earlier offset reads it after the gap.
  return new Date(candidates[0] ?? wall - before);
}

/** `instant` as wall-clock time in `zone`: "2027-03-12T20:00". */
export function toLocal(instant: Date, zone: string): string {
  return new Date(wallClockMs(instant.getTime(), zone)).toISOString().slice(0, 16);
}
