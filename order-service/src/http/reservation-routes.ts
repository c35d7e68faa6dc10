import type { Express, Request } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type Identity, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { getReservation } from '../use-cases/get-reservation.ts';
import { releaseReservation } from '../use-cases/release-reservation.ts';
import { reserveTickets, type ReserveDeps } from '../use-cases/reserve-tickets.ts';
import { idempotencyKeyOf, idempotently } from './idempotency.ts';
import { reservationInput, reservationParams } from './schemas.ts';

/** Holds: signed-in buyers, each seeing only their own. */
export function reservationRoutes(app: Express, deps: ReserveDeps & { verifier: IdentityVerifier; keysDb: DbExecutor }) {
  const { db, keysDb, verifier } = deps;
  const signedIn = authorize(verifier, 'signed-in');
  const caller = (req: Request): Identity => req.identity!;

  app.post('/api/reservations', signedIn, validated({ body: reservationInput }, async ({ body }, req, res) => {
    const key = idempotencyKeyOf(req, false);
    const ref = key ? { userId: caller(req).userId, scope: 'reserve', key } : undefined;
    const result = await idempotently(keysDb, ref, body, async () => ({ status: 201, body: await reserveTickets(deps, caller(req), body) }));
    const view = result.body as { id: string };
    if (result.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(result.status).location(`/api/reservations/${view.id}`).json(view);
  }));

  app.get('/api/reservations/:id', signedIn, validated({ params: reservationParams }, async ({ params }, req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.json(await getReservation(db, caller(req), params.id));
  }));

  app.delete('/api/reservations/:id', signedIn, validated({ params: reservationParams }, async ({ params }, req, res) => {
    await releaseReservation(db, caller(req), params.id);
    res.status(204).end();
  }));
}
