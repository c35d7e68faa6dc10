import { createHash } from 'node:crypto';

/**
 * Keyset cursors: the sort key of the last row served, so the next page starts
 * right after it whatever was inserted meanwhile (no offsets: no skipped or
 * repeated rows, and page 50 costs what page 1 does). Opaque to clients; bound to
 * the query it came from, so it cannot be replayed against another.
 */
export type ListingSort = 'soonest' | 'relevance' | 'newest' | 'popular';

export interface CursorPosition {
  sort: ListingSort;
  /** starts_at (soonest) or published_at (newest) as Postgres prints them, the score (relevance), or tickets sold (popular). */
  key: string | number;
  id: string;
  /** How the search text matched on the first page (words or similar titles): later pages keep it. */
  textMatch?: 'words' | 'similar';
}

// A timestamptz as Postgres prints it (ISO DateStyle): exact to the microsecond.
const timestampText = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;
export const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `text` is a timestamp as Postgres prints it, of a real day in the years events have. */
export function isTimestampText(text: string): boolean {
  const match = timestampText.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// Relevance scores are small and positive; anything else was not issued here.
const maxScore = 1_000;
// Tickets sold is a Postgres integer, never negative.
const maxTicketsSold = 2_147_483_647;

/** A short digest of what the listing filters on (everything but cursor and limit). */
export function queryFingerprint(filters: Record<string, unknown>): string {
  const stable = Object.keys(filters)
    .filter((k) => filters[k] !== undefined && k !== 'cursor' && k !== 'limit')
    .sort()
    .map((k) => [k, filters[k]]);
  return createHash('sha256').update(JSON.stringify(stable)).digest('base64url').slice(0, 12);
}

export function encodeCursor(position: CursorPosition, fingerprint: string): string {
  const fields: unknown[] = [position.sort, position.key, position.id, fingerprint];
  if (position.textMatch) fields.push(position.textMatch);
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** The position, or a reason the cursor cannot be used (for a 400). */
export function decodeCursor(cursor: string, fingerprint: string): CursorPosition | { invalid: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return { invalid: 'The cursor is not one this API issued; start again from the first page.' };
  }
  if (!Array.isArray(parsed) || parsed.length < 4 || parsed.length > 5) return { invalid: 'The cursor is not one this API issued; start again from the first page.' };
  const [sort, key, id, boundTo, textMatch] = parsed as unknown[];
  if (textMatch !== undefined && textMatch !== 'words' && textMatch !== 'similar') return { invalid: 'The cursor is damaged; start again from the first page.' };
  const matched = textMatch === undefined ? {} : { textMatch: textMatch as 'words' | 'similar' };
  if (boundTo !== fingerprint) return { invalid: 'The cursor belongs to a different search; start again from the first page.' };
  if (typeof id !== 'string' || !uuid.test(id)) return { invalid: 'The cursor is damaged; start again from the first page.' };
  if (sort === 'relevance' && typeof key === 'number' && key >= 0 && key <= maxScore) return { sort, key, id, ...matched };
  if ((sort === 'soonest' || sort === 'newest') && typeof key === 'string' && isTimestampText(key)) return { sort, key, id, ...matched };
  if (sort === 'popular' && typeof key === 'number' && Number.isInteger(key) && key >= 0 && key <= maxTicketsSold) return { sort, key, id, ...matched };
  return { invalid: 'The cursor is damaged; start again from the first page.' };
}
