import { error, fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { recallAttendees } from '#lib/server/checkout-attendees.ts';
import { heldTickets, isLive, orderOfHold, startPayment } from '#lib/server/checkout.ts';
import { requireUser } from '#lib/server/guards.ts';
import { accountName } from '#lib/server/session.ts';
import { idempotencyKeyForRetry, idempotencyKeyFrom, newIdempotencyKey } from '#lib/server/idempotency.ts';
import type { EventDetail } from '#lib/types/catalog.ts';
import type { Attendee, Reservation } from '#lib/types/orders.ts';
import type { Problem } from '#lib/server/problem.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The API's reasons keyed like this form's fields: `attendees[0].name` → `attendees.0.name`. */
function attendeeErrors(problem: Problem): Record<string, string> {
  return Object.fromEntries(Object.entries(problem.fields).map(([path, reason]) => [path.replace(/\[(\d+)\]/g, '.$1'), reason]));
}

// A deliberately loose check: the API has the last word; this only catches typos before a round trip.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function readHold(event: RequestEvent) {
  const client = api(event);
  const hold = await client.get<Reservation>(`/api/reservations/${encodeURIComponent(event.params.reservationId)}`);
  if (!hold.ok) {
    if (hold.status === 404 || hold.status === 400) error(404, 'We could not find that hold.', { hint: 'Holds belong to the account that made them: are you signed in as that person?' });
    error(hold.status >= 500 ? 503 : hold.status, hold.problem.message);
  }
  const detail = await client.get<EventDetail>(`/api/events/${hold.data.eventId}`);
  return { reservation: hold.data, event: detail.ok ? detail.data : undefined };
}

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  // A fresh idempotency key per render must not come back from a cache (back button included).
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const { reservation, event: detail } = await readHold(event);
  if (reservation.status === 'converted') {
    const order = await orderOfHold(event, reservation.id);
    redirect(303, order ? `/orders/${order.id}` : '/orders');
  }
  const tickets = heldTickets(reservation, detail);
  const remembered = recallAttendees(event.cookies, reservation.id);
  // The first ticket is most often the buyer's own: prefilled with their name and email.
  const buyerName = remembered ? undefined : await accountName(event);
  const attendees = tickets.map((ticket, i) => {
    const known = remembered?.[i]?.ticketTypeId === ticket.ticketTypeId ? remembered[i] : undefined;
    return { name: known?.name ?? (i === 0 ? (buyerName ?? '') : ''), email: known?.email ?? (i === 0 ? user.email : '') };
  });
  return {
    reservation,
    live: isLive(reservation),
    renderedAt: new Date().toISOString(),
    event: detail && { title: detail.title, slug: detail.slug, startsAt: detail.startsAt, timeZone: detail.timeZone, venueName: detail.venue.name, city: detail.venue.city },
    tickets,
    attendees,
    idempotencyKey: newIdempotencyKey(),
  };
};

export const actions: Actions = {
  /** "Continue to payment": names the attendees, creates the order and goes to the payment page. */
  pay: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    const { reservation, event: detail } = await readHold(event);
    const retry = { idempotencyKey: newIdempotencyKey() };
    if (reservation.status === 'converted') {
      const order = await orderOfHold(event, reservation.id);
      redirect(303, order ? `/orders/${order.id}` : '/orders');
    }
    if (!isLive(reservation)) return fail(410, { ...retry, expired: true, message: 'Your hold has expired.' });

    const tickets = heldTickets(reservation, detail);
    const values = tickets.map((_, i) => ({ name: String(form.get(`attendees.${i}.name`) ?? '').trim(), email: String(form.get(`attendees.${i}.email`) ?? '').trim() }));
    const errors: Record<string, string> = {};
    values.forEach((value, i) => {
      if (!value.name) errors[`attendees.${i}.name`] = `Enter the name of the person using ticket ${i + 1}.`;
      else if (value.name.length > 200) errors[`attendees.${i}.name`] = 'Use at most 200 characters.';
      if (!emailPattern.test(value.email)) errors[`attendees.${i}.email`] = `Enter an email address for ticket ${i + 1}, like name@example.com.`;
    });
    if (Object.keys(errors).length > 0) return fail(400, { ...retry, values, errors, message: 'Some details need fixing: see the fields marked below.' });

    const attendees: Attendee[] = tickets.map((ticket, i) => ({ ticketTypeId: ticket.ticketTypeId, ...values[i]! }));
    const started = await startPayment(event, reservation.id, attendees, idempotencyKeyFrom(form));
    // The provider's page may be on another origin (a real provider's always is).
    if (started.ok) redirect(303, started.location, { external: true });

    const { problem } = started;
    if (problem.status === 410) return fail(410, { ...retry, expired: true, message: 'Your hold has expired.' });
    if (problem.status === 409) {
      // Paid meanwhile (another tab): the order is the place to be.
      const order = await orderOfHold(event, reservation.id);
      if (order && order.status !== 'pending') redirect(303, `/orders/${order.id}`);
    }
    const apiErrors = attendeeErrors(problem);
    // The API's own sentence for invalid input speaks to developers; the fields say what to fix.
    const message = Object.keys(apiErrors).length > 0 ? 'Some details need fixing: see the fields marked below.' : problem.message;
    return fail(problem.status >= 400 && problem.status <= 599 ? problem.status : 502, { idempotencyKey: idempotencyKeyForRetry(form, problem.status), values, errors: apiErrors, message });
  },

  /** "Cancel": lets the hold go, so the tickets are back on sale at once. */
  release: async (event) => {
    requireUser(event);
    const { reservation, event: detail } = await readHold(event);
    const result = await api(event).delete(`/api/reservations/${encodeURIComponent(reservation.id)}`);
    if (!result.ok && result.status !== 404) return fail(result.status >= 400 && result.status <= 599 ? result.status : 502, { idempotencyKey: newIdempotencyKey(), message: result.problem.message });
    redirect(303, detail ? `/events/${detail.slug}?released=1` : '/events');
  },
};
