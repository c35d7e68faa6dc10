import { createDocument } from 'zod-openapi';
import { createEventInput, eventIdParams, eventKeyParams, eventPatch, organiserListQuery, organizationParams, searchQuery, ticketTypeInput, ticketTypeParams, ticketTypePatch } from './schemas.ts';

const problem = (description: string) => ({ description, content: { 'application/problem+json': {} } });
const json = (description: string) => ({ description, content: { 'application/json': {} } });
const organiserErrors = { 400: problem('Input that is not valid; `errors` names each field.'), 401: problem('Not signed in.'), 403: problem('Not a member of the organisation that owns the event.'), 404: problem('No such event.'), 409: problem("The event's state does not allow it."), 422: problem('A rule the input breaks (dates, sales window, capacity).') };

/** catalog-service's API, from the zod schemas its routes validate with. */
export function catalogApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'catalog-service', version: '1' },
    paths: {
      '/api/events': {
        get: { operationId: 'searchEvents', summary: 'Search and list published events (keyset pages, facets on the first page)', requestParams: { query: searchQuery }, responses: { 200: json('A page of events, the next cursor, facet counts.'), 400: problem('A malformed query parameter.') } },
        post: { operationId: 'createEvent', summary: 'Create an event (a draft) with its venue and ticket types', requestBody: { content: { 'application/json': { schema: createEventInput } } }, responses: { 201: json('The event, as its organisers see it.'), ...organiserErrors } },
      },
      '/api/events/{key}': {
        get: { operationId: 'getEvent', summary: 'An event by id or slug, with venue and ticket types with availability', requestParams: { path: eventKeyParams }, responses: { 200: json('The event.'), 404: problem('No such event (or a draft of someone else).') } },
      },
      '/api/events/{id}': {
        patch: { operationId: 'updateEvent', summary: "Edit an event's details", requestParams: { path: eventIdParams }, requestBody: { content: { 'application/json': { schema: eventPatch } } }, responses: { 200: json('The event.'), ...organiserErrors } },
        delete: { operationId: 'deleteEvent', summary: 'Delete a draft that never sold', requestParams: { path: eventIdParams }, responses: { 204: { description: 'Deleted.' }, ...organiserErrors } },
      },
      ...Object.fromEntries(
        (['publish', 'unpublish', 'cancel'] as const).map((change) => [
          `/api/events/{id}/${change}`,
          { post: { operationId: `${change}Event`, summary: `${change[0]!.toUpperCase()}${change.slice(1)} an event`, requestParams: { path: eventIdParams }, responses: { 200: json('The event.'), ...organiserErrors } } },
        ]),
      ),
      '/api/events/{id}/ticket-types': {
        post: { operationId: 'addTicketType', summary: 'Add a ticket type', requestParams: { path: eventIdParams }, requestBody: { content: { 'application/json': { schema: ticketTypeInput } } }, responses: { 201: json('The event.'), ...organiserErrors } },
      },
      '/api/events/{id}/ticket-types/{ticketTypeId}': {
        patch: { operationId: 'updateTicketType', summary: 'Edit or hide a ticket type', requestParams: { path: ticketTypeParams }, requestBody: { content: { 'application/json': { schema: ticketTypePatch } } }, responses: { 200: json('The event.'), ...organiserErrors } },
        delete: { operationId: 'removeTicketType', summary: 'Remove a ticket type nobody bought or holds', requestParams: { path: ticketTypeParams }, responses: { 204: { description: 'Removed.' }, ...organiserErrors } },
      },
      '/api/organizations/{organizationId}/events': {
        get: { operationId: 'listOrganizationEvents', summary: "An organisation's own events, drafts included, with sold and held counts", requestParams: { path: organizationParams, query: organiserListQuery }, responses: { 200: json('A page of events.'), 401: problem('Not signed in.'), 403: problem('Not a member.') } },
      },
      '/api/categories': { get: { operationId: 'listCategories', summary: 'Event categories, with upcoming event counts', responses: { 200: json('The categories.') } } },
      '/api/cities': { get: { operationId: 'listCities', summary: 'Cities with upcoming events', responses: { 200: json('The cities.') } } },
    },
  });
}
