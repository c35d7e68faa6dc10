/** What is left of a hold, as a clock reads: 598 000 ms → "9:58"; never negative. */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "15:42", a clock time in the given zone (the reader's own in the browser). */
export function formatClock(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
}

/**
 * The moments a screen reader is told how long is left: often enough to act,
 * rarely enough not to talk over the form (in seconds, descending).
 */
export const announceAtSeconds = [300, 120, 60, 30] as const;
