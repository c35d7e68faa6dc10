import { error, fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { idempotencyKeyForRetry, idempotencyKeyFrom, newIdempotencyKey } from '#lib/server/idempotency.ts';
import { eventClosedReason, ticketSale } from '#lib/ticket-sale.ts';
import type { Category, EventDetail } from '#lib/types/catalog.ts';
import type { Reservation } from '#lib/types/orders.ts';
import type { Actions, PageServerLoad } from './$types';

const quantityField = /^quantity\.([0-9a-f-]{36})$/;

/** The quantities asked for, by ticket type: from the form, or from the URL when coming back from signing in. */
function chosenQuantities(entries: Iterable<[string, FormDataEntryValue]>): Map<string, number> {
  const chosen = new Map<string, number>();
  for (const [name, value] of entries) {
    const id = quantityField.exec(name)?.[1];
    const quantity = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : 0;
    if (id && quantity > 0) chosen.set(id, quantity);
  }
  return chosen;
}

export const load: PageServerLoad = async (event) => {
  // The form carries a fresh idempotency key and the header the visitor's address: never
  // from a shared cache, nor from the back button's (a stale key would replay an old hold).
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const client = api(event);
  const [result, categories] = await Promise.all([
    client.get<EventDetail>(`/api/events/${encodeURIComponent(event.params.slug)}`),
    client.get<{ items: Category[] }>('/api/categories'),
  ]);
  if (!result.ok) {
    if (result.status === 404 || result.status === 400) error(404, 'We could not find that event.', { hint: 'It may have been removed; browse what is on instead.' });
    error(result.status >= 500 ? 503 : result.status, result.problem.message);
  }
  const detail = result.data;
  const now = new Date();
  const preselected = chosenQuantities(event.url.searchParams.entries());
  const ticketTypes = [...detail.ticketTypes]
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((type) => {
      const sale = ticketSale(type, detail.timeZone, now);
      const wanted = preselected.get(type.id) ?? 0;
      return { ...type, sale, selected: sale.quantities.includes(wanted) ? wanted : 0 };
    });
  return {
    event: detail,
    ticketTypes,
    categoryLabel: (categories.ok && categories.data.items.find((c) => c.slug === detail.category)?.label) || detail.category,
    closedReason: eventClosedReason(detail, now),
    // Back from checkout's "Cancel".
    released: event.url.searchParams.has('released'),
    signedIn: !!event.locals.user,
    // Made once per render: a double submit of this form makes one hold.
    idempotencyKey: newIdempotencyKey(),
  };
};

export const actions: Actions = {
  /** "Get tickets": holds the chosen tickets and goes to checkout. */
  default: async (event) => {
    const form = await event.request.formData();
    const chosen = chosenQuantities(form.entries());
    const eventId = String(form.get('eventId') ?? '');
    if (!event.locals.user) {
      // Back to this page after signing in, with the same quantities chosen.
      const back = new URLSearchParams([...chosen].map(([id, quantity]) => [`quantity.${id}`, String(quantity)]));
      const next = `/events/${event.params.slug}${back.size > 0 ? `?${back}` : ''}`;
      redirect(303, `/sign-in?next=${encodeURIComponent(next)}`);
    }
    const retry = { idempotencyKey: newIdempotencyKey(), quantities: Object.fromEntries(chosen) };
    if (chosen.size === 0) return fail(400, { ...retry, message: 'Choose how many tickets you want.', ticketErrors: {} as Record<string, string> });

    const result = await api(event).post<Reservation>(
      '/api/reservations',
      { eventId, items: [...chosen].map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity })) },
      // On-sale day can be slow: wait longer than for a page's reads before calling it unavailable.
      { headers: { 'idempotency-key': idempotencyKeyFrom(form) }, timeoutMs: 30_000 },
    );
    if (result.ok) redirect(303, `/checkout/${result.data.id}`);

    if (result.status === 401) redirect(303, `/sign-in?next=${encodeURIComponent(`/events/${event.params.slug}`)}`);
    // Which ticket type each refusal is about: 409 lists what is left, 422 names the items by position.
    const ticketErrors: Record<string, string> = {};
    const left = result.problem.extra.left;
    if (Array.isArray(left)) {
      for (const item of left as Array<{ ticketTypeId?: string; available?: number }>) {
        if (item.ticketTypeId) ticketErrors[item.ticketTypeId] = item.available === 0 ? 'Sold out.' : `Only ${item.available} left.`;
      }
    }
    const ids = [...chosen.keys()];
    for (const [path, reason] of Object.entries(result.problem.fields)) {
      const index = /^items\[(\d+)\]/.exec(path)?.[1];
      const id = index === undefined ? undefined : ids[Number(index)];
      if (id && !ticketErrors[id]) ticketErrors[id] = reason;
    }
    return fail(result.status >= 400 && result.status <= 599 ? result.status : 502, { ...retry, idempotencyKey: idempotencyKeyForRetry(form, result.status), message: result.problem.message, ticketErrors });
  },
};
