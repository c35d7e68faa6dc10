import type { Express, Request } from 'express';
import { validated } from '@twenny/http-kit';
import { authorize, type Identity, type IdentityVerifier } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { changeEventStatus } from '../use-cases/change-event-status.ts';
import { createEvent } from '../use-cases/create-event.ts';
import { deleteEvent } from '../use-cases/delete-event.ts';
import { getEvent } from '../use-cases/get-event.ts';
import { listOrganizationEvents } from '../use-cases/list-organization-events.ts';
import { addTicketType, removeTicketType, updateTicketType } from '../use-cases/manage-ticket-types.ts';
import { updateEvent } from '../use-cases/update-event.ts';
import { createEventInput, eventIdParams, eventPatch, organiserListQuery, organizationParams, ticketTypeInput, ticketTypeParams, ticketTypePatch } from './schemas.ts';

/** Organiser routes: signed-in callers; membership of the owning organisation is checked by each use case (403). */
export function organiserRoutes(app: Express, deps: { db: DbExecutor; verifier: IdentityVerifier }) {
  const { db, verifier } = deps;
  const signedIn = authorize(verifier, 'signed-in');
  const caller = (req: Request): Identity => req.identity!;
  const current = (req: Request, id: string) => getEvent(db, id, caller(req));

  app.post('/api/events', signedIn, validated({ body: createEventInput }, async ({ body }, req, res) => {
    const id = await createEvent(db, caller(req), body);
    res.status(201).location(`/api/events/${id}`).json(await current(req, id));
  }));

  app.patch('/api/events/:id', signedIn, validated({ params: eventIdParams, body: eventPatch }, async ({ params, body }, req, res) => {
    await updateEvent(db, caller(req), params.id, body);
    res.json(await current(req, params.id));
  }));

  app.delete('/api/events/:id', signedIn, validated({ params: eventIdParams }, async ({ params }, req, res) => {
    await deleteEvent(db, caller(req), params.id);
    res.status(204).end();
  }));

  for (const change of ['publish', 'unpublish', 'cancel'] as const) {
    app.post(`/api/events/:id/${change}`, signedIn, validated({ params: eventIdParams }, async ({ params }, req, res) => {
      await changeEventStatus(db, caller(req), params.id, change);
      res.json(await current(req, params.id));
    }));
  }

  app.post('/api/events/:id/ticket-types', signedIn, validated({ params: eventIdParams, body: ticketTypeInput }, async ({ params, body }, req, res) => {
    const ticketTypeId = await addTicketType(db, caller(req), params.id, body);
    res.status(201).location(`/api/events/${params.id}/ticket-types/${ticketTypeId}`).json(await current(req, params.id));
  }));

  app.patch('/api/events/:id/ticket-types/:ticketTypeId', signedIn, validated({ params: ticketTypeParams, body: ticketTypePatch }, async ({ params, body }, req, res) => {
    await updateTicketType(db, caller(req), params.id, params.ticketTypeId, body);
    res.json(await current(req, params.id));
  }));

  app.delete('/api/events/:id/ticket-types/:ticketTypeId', signedIn, validated({ params: ticketTypeParams }, async ({ params }, req, res) => {
    await removeTicketType(db, caller(req), params.id, params.ticketTypeId);
    res.status(204).end();
  }));

  app.get('/api/organizations/:organizationId/events', signedIn, validated({ params: organizationParams, query: organiserListQuery }, async ({ params, query }, req, res) => {
    res.setHeader('cache-control', 'private, no-cache');
    res.json(await listOrganizationEvents(db, caller(req), params.organizationId, query));
  }));
}
