import type { Express } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import type { TicketVerificationKeys } from '../domain/ticket-code.ts';
import { checkIn } from '../use-cases/check-in.ts';
import { checkInInput } from './schemas.ts';

/** The door: signed-in members of the organisation that owns the event (checked by the use case). */
export function checkInRoutes(app: Express, deps: { db: DbExecutor; verifier: IdentityVerifier; ticketKeys: TicketVerificationKeys }) {
  app.post('/api/check-ins', authorize(deps.verifier, 'signed-in'), validated({ body: checkInInput }, async ({ body }, req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await checkIn(deps.db, deps.ticketKeys, req.identity!, body));
  }));
}
