import { HttpProblem } from '@twenny/http-kit';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A keyset position (time, id) as an opaque cursor; a forged or mangled one is a 400, never a 500. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const date = new Date(String(at));
    const year = date.getUTCFullYear();
    if (typeof at === 'string' && !Number.isNaN(date.getTime()) && year >= 2000 && year <= 9999 && typeof id === 'string' && uuidPattern.test(id)) return { at: date, id };
  } catch {
    // falls through to the 400
  }
  throw HttpProblem.validation([{ name: 'query.before', reason: 'Not a cursor this API gave; use the `next` value of the previous page.' }]);
}
