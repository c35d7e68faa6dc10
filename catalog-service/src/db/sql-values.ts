import { sql, type SQL } from 'drizzle-orm';

/** An instant in a raw statement: postgres.js passes raw parameters as given, so it goes as ISO text with a cast. */
export function instant(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}
