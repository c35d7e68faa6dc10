import { api } from '#lib/server/api.ts';
import type { Category, City, EventSearchResult, EventSummary } from '#lib/types/catalog.ts';
import type { PageServerLoad } from './$types';

/** The popular listing's events say whether anything sold (never how much). */
type PopularEvent = EventSummary & { hasSales?: boolean };

/**
 * The home page: what is coming up, what sells best, what was just announced,
 * and ways in by category and city. Each part that fails is left out rather
 * than failing the page.
 */
export const load: PageServerLoad = async (event) => {
  const client = api(event);
  const [soonest, popular, newest, categories, cities] = await Promise.all([
    client.get<EventSearchResult>('/api/events', { query: { sort: 'soonest', limit: 6 } }),
    client.get<{ items: PopularEvent[] }>('/api/events', { query: { sort: 'popular', limit: 6 } }),
    client.get<EventSearchResult>('/api/events', { query: { sort: 'newest', limit: 6 } }),
    client.get<{ items: Category[] }>('/api/categories'),
    client.get<{ items: City[] }>('/api/cities'),
  ]);
  const allCategories = categories.ok ? categories.data.items : [];
  return {
    upcoming: soonest.ok ? soonest.data.items : [],
    // Best-selling first; events that have sold nothing yet are not "popular".
    popular: popular.ok ? popular.data.items.filter((e) => e.hasSales === true) : [],
    justAnnounced: newest.ok ? newest.data.items : [],
    // No sales figures are public: categories and cities are ranked by how much is on.
    popularCategories: allCategories.filter((c) => c.upcomingEvents > 0).sort((a, b) => b.upcomingEvents - a.upcomingEvents),
    categoryLabels: Object.fromEntries(allCategories.map((c) => [c.slug, c.label])),
    cities: cities.ok ? [...cities.data.items].sort((a, b) => b.upcomingEvents - a.upcomingEvents) : [],
    unavailable: !soonest.ok && !newest.ok,
  };
};
