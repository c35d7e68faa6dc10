import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { isTimestampText, uuid } from '../domain/listing-cursor.ts';
import { organizationEvents } from '../db/event-reads.ts';
import { eventView } from './get-event.ts';
import { requireMember } from './organiser-access.ts';

/** An organisation's own events in every status, with sold and held counts: for its members only. */
export async function listOrganizationEvents(db: DbExecutor, identity: Identity, organizationId: string, query: { status?: string; cursor?: string; limit: number }) {
  requireMember(identity, organizationId);
  let after: { startsAt: string; id: string } | undefined;
  if (query.cursor !== undefined) {
    try {
      const [startsAt, id] = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as [string, string];
      if (typeof startsAt !== 'string' || typeof id !== 'string' || !uuid.test(id) || !isTimestampText(startsAt)) throw new Error('bad cursor');
      after = { startsAt, id };
    } catch {
      throw HttpProblem.validation([{ name: 'query.cursor', reason: 'The cursor is not one this API issued; start again from the first page.' }]);
    }
  }
  const rows = await organizationEvents(db, organizationId, { status: query.status, after, limit: query.limit });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ event, sold, held, capacity }) => ({ ...eventView(event), sold, held, capacity })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.sortKey, last.event.id])).toString('base64url') : null,
  };
}
