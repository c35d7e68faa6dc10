import type { Express, Request, Response } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type Identity, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { safeFileNamePart, utf8Bom } from '../domain/csv.ts';
import { attendeeCsvLines, listAttendees, organiserEvent, salesReport, salesTimelineReport } from '../use-cases/organiser-reports.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { attendeesCsvQuery, attendeesQuery, eventParams, maxTimelineBuckets, timelineQuery } from './report-schemas.ts';

/**
 * The organiser's views of one event: sales, sales over time, attendees (and
 * their CSV). Signed-in callers; the use cases admit members of the
 * organisation that owns the event. Nothing here may sit in a shared cache.
 */
export function organiserRoutes(app: Express, deps: { db: DbExecutor; verifier: IdentityVerifier }) {
  const { db, verifier } = deps;
  const signedIn = authorize(verifier, 'signed-in');
  const caller = (req: Request): Identity => req.identity!;
  const noStore = (res: Response) => res.setHeader('cache-control', 'private, no-store');

  app.get('/api/events/:eventId/sales', signedIn, validated({ params: eventParams }, async ({ params }, req, res) => {
    noStore(res);
    res.json(await salesReport(db, caller(req), params.eventId));
  }));

  app.get('/api/events/:eventId/sales/timeline', signedIn, validated({ params: eventParams, query: timelineQuery }, async ({ params, query }, req, res) => {
    noStore(res);
    res.json(await salesTimelineReport(db, caller(req), params.eventId, query, maxTimelineBuckets));
  }));

  app.get('/api/events/:eventId/attendees', signedIn, validated({ params: eventParams, query: attendeesQuery }, async ({ params, query }, req, res) => {
    noStore(res);
    const { items, next } = await listAttendees(db, caller(req), params.eventId, { q: query.q, status: query.status }, { limit: query.limit, before: decodeCursor(query.before) });
    res.json({ items, next: next ? encodeCursor(next.at, next.id) : null });
  }));

  // Every matching attendee, streamed batch by batch (see attendeeCsvLines). The
  // caller's right is checked before the first byte, so a refusal is still a problem+json.
  app.get('/api/events/:eventId/attendees.csv', signedIn, validated({ params: eventParams, query: attendeesCsvQuery }, async ({ params, query }, req, res) => {
    const event = await organiserEvent(db, caller(req), params.eventId);
    noStore(res);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="attendees-${safeFileNamePart(event.slug, event.eventId)}.csv"`);
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write(utf8Bom);
    for await (const chunk of attendeeCsvLines(db, event.eventId, query)) {
      if (res.destroyed) return; // the client went away: stop reading
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
  }));
}

/** Resolves when the response can take more, or is gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
