import { error } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { requireUser } from '#lib/server/guards.ts';
import type { Order, OrderPage } from '#lib/types/orders.ts';
import type { PageServerLoad } from './$types';

const pageSize = 50;
// Orders that still get someone in (or will, once paid).
const live = new Set(['paid', 'pending', 'refunding']);

/** "My tickets": the buyer's orders, those for events still to come first (soonest first), then the rest. */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const before = event.url.searchParams.get('before') ?? undefined;
  const result = await api(event).get<OrderPage>('/api/orders', { query: { limit: pageSize, before } });
  if (!result.ok) error(result.status >= 500 ? 503 : result.status === 400 ? 404 : result.status, result.problem.message);
  const now = Date.now();
  const startOf = (order: Order) => (order.event.startsAt ? Date.parse(order.event.startsAt) : 0);
  const upcoming = result.data.items.filter((order) => live.has(order.status) && Date.parse(order.event.endsAt ?? order.event.startsAt ?? '') > now).sort((a, b) => startOf(a) - startOf(b));
  const rest = result.data.items.filter((order) => !upcoming.includes(order)).sort((a, b) => startOf(b) - startOf(a));
  return {
    upcoming,
    rest,
    olderHref: result.data.next ? `/orders?before=${encodeURIComponent(result.data.next)}` : undefined,
    isLaterPage: !!before,
  };
};
