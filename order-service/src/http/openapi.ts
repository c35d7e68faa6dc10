import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import { attendeesCsvQuery, attendeesQuery, eventParams, timelineQuery } from './report-schemas.ts';
import { checkInInput, checkoutInput, orderParams, pageQuery, reservationInput, reservationParams, ticketParams } from './schemas.ts';

const problem = (description: string) => ({ description, content: { 'application/problem+json': {} } });
const json = (description: string) => ({ description, content: { 'application/json': {} } });
const signedIn = { 401: problem('Not signed in.') };
const organiser = { 401: problem('Not signed in.'), 403: problem('Not a member of the organisation that owns the event.'), 404: problem('No such event.') };
const idempotencyKey = z.string().min(1).max(200).meta({ description: 'Made once per attempt (a UUID): a retry with the same key gets the first answer.' });

/** order-service's API, from the zod schemas its routes validate with. */
export function orderApiDocument() {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'order-service', version: '1' },
    paths: {
      '/api/reservations': {
        post: {
          operationId: 'holdTickets',
          summary: 'Hold tickets for a few minutes, all or nothing',
          requestParams: { header: z.object({ 'idempotency-key': idempotencyKey.optional() }) },
          requestBody: { content: { 'application/json': { schema: reservationInput } } },
          responses: {
            201: json('The hold: id, status "held", expiresAt, items, total, currency.'),
            400: problem('Malformed input; `errors` names each field.'),
            ...signedIn,
            404: problem('No such event.'),
            409: problem('Not enough tickets left (`left` says how many), or a race: try again.'),
            410: problem('The event is not on sale.'),
            422: problem('Outside the sales window, over the per-order or the per-buyer limit, or a ticket type not on sale.'),
          },
        },
      },
      '/api/reservations/{id}': {
        get: { operationId: 'getReservation', summary: "A hold of the caller's", requestParams: { path: reservationParams }, responses: { 200: json('The hold; status "expired" once its time is up.'), ...signedIn, 404: problem('Not a hold of yours.') } },
        delete: { operationId: 'releaseReservation', summary: 'Let a hold go early', requestParams: { path: reservationParams }, responses: { 204: { description: 'Released (or already ended).' }, ...signedIn, 404: problem('Not a hold of yours.'), 409: problem('Already paid for.') } },
      },
      '/api/reservations/{id}/checkout': {
        post: {
          operationId: 'checkout',
          summary: 'Check out a hold: one attendee per ticket, then the payment (hosted page, or a test card in direct mode)',
          requestParams: { path: reservationParams, header: z.object({ 'idempotency-key': idempotencyKey }) },
          requestBody: { content: { 'application/json': { schema: checkoutInput } } },
          responses: {
            201: json('The order: pending with `payment.redirectUrl` to the hosted page, or paid with its tickets.'),
            400: problem('Malformed input, or no Idempotency-Key.'),
            ...signedIn,
            402: problem('Direct mode: the card was declined (`code`); the hold stays, try another card with a new key.'),
            404: problem('Not a hold of yours.'),
            409: problem('Already paid for, or the same key is still being processed.'),
            410: problem('The hold has ended, or the event is no longer on sale.'),
            422: problem('Attendees do not match the hold, or the key was used for another request.'),
          },
        },
      },
      '/api/orders': { get: { operationId: 'listOrders', summary: "The caller's orders, newest first", requestParams: { query: pageQuery }, responses: { 200: json('A page of orders and the `next` cursor.'), ...signedIn } } },
      '/api/orders/{id}': { get: { operationId: 'getOrder', summary: 'An order with its tickets (its buyer, or its organisation)', requestParams: { path: orderParams }, responses: { 200: json('The order.'), ...signedIn, 404: problem('Not an order of yours.') } } },
      '/api/orders/{id}/refund': {
        post: { operationId: 'refundOrder', summary: 'Refund a whole paid order: its buyer within the refund policy, its organisation any time', requestParams: { path: orderParams }, responses: { 200: json('The order, refunded (or refunding).'), ...signedIn, 403: problem('Past the refund deadline, or not refundable.'), 404: problem('Not an order of yours.'), 409: problem('Not paid.') } },
      },
      '/api/tickets': { get: { operationId: 'listTickets', summary: "The caller's tickets, newest first", requestParams: { query: pageQuery }, responses: { 200: json('A page of tickets and the `next` cursor.'), ...signedIn } } },
      '/api/tickets/keys': { get: { operationId: 'ticketKeys', summary: 'Public keys (JWK, Ed25519) that verify ticket codes offline', responses: { 200: json('The keys.') } } },
      '/api/tickets/{id}/qr.svg': { get: { operationId: 'ticketQr', summary: "A ticket's QR code", requestParams: { path: ticketParams }, responses: { 200: { description: 'SVG.', content: { 'image/svg+xml': {} } }, ...signedIn, 404: problem('Not a ticket of yours.') } } },
      '/api/events/{eventId}/sales': {
        get: { operationId: 'eventSales', summary: "An event's sales per ticket type and in total: sold, live holds, available, money taken and refunded", requestParams: { path: eventParams }, responses: { 200: json('The sales.'), ...organiser } },
      },
      '/api/events/{eventId}/sales/timeline': {
        get: { operationId: 'eventSalesTimeline', summary: 'Sales and refunds per hour or day (in the venue\'s zone), empty buckets included', requestParams: { path: eventParams, query: timelineQuery }, responses: { 200: json('The buckets.'), 400: problem('Malformed query, or more than 2,000 buckets.'), ...organiser } },
      },
      '/api/events/{eventId}/attendees': {
        get: { operationId: 'eventAttendees', summary: 'Attendees: search by name or email, filter by status, keyset pages', requestParams: { path: eventParams, query: attendeesQuery }, responses: { 200: json('A page of attendees and the `next` cursor.'), 400: problem('Malformed query.'), ...organiser } },
      },
      '/api/events/{eventId}/attendees.csv': {
        get: { operationId: 'eventAttendeesCsv', summary: 'All matching attendees as a CSV download (streamed)', requestParams: { path: eventParams, query: attendeesCsvQuery }, responses: { 200: { description: 'CSV (UTF-8 with BOM, CRLF, formula-guarded).', content: { 'text/csv': {} } }, ...organiser } },
      },
      '/api/check-ins': {
        post: {
          operationId: 'checkIn',
          summary: 'Check a ticket in by its code (members of the organisation that owns the event)',
          requestBody: { content: { 'application/json': { schema: checkInInput } } },
          responses: { 200: json('Admitted: the attendee\'s name and ticket type.'), 400: problem('Malformed input.'), ...signedIn, 403: problem('Not a member of the organisation.'), 404: problem('Unknown or forged code.'), 409: problem('Already used (when, by whom), refunded, or for another event (`outcome`).') },
        },
      },
      '/api/payments/webhooks/{provider}': { post: { operationId: 'paymentWebhook', summary: "The payment provider's signed webhooks", responses: { 200: json('Received.'), 400: problem('Bad or stale signature.') } } },
      '/api/payments/test/{paymentId}': {
        get: { operationId: 'testPaymentPage', summary: "The test provider's hosted payment page (works without JavaScript)", responses: { 200: { description: 'HTML.', content: { 'text/html': {} } }, 404: { description: 'Unknown payment.' } } },
        post: { operationId: 'testPaymentSubmit', summary: 'Pay or cancel on the hosted page; 303 back to the site', responses: { 303: { description: 'Back to the site with `payment=succeeded|failed|cancelled`.' }, 422: { description: 'Not a valid card number (the form again).' } } },
      },
    },
  });
}
