import type { SearchQuery } from '../../catalog-service/src/http/schemas.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const number = (value: unknown) => (typeof value === 'string' ? Number(value) : undefined);

/**
 * A listing's query string as catalog-service's schema leaves it (numbers and
 * flags converted, the default page size), but not checked: the ceiling's and
 * the index report's way to call the catalog's own search.
 */
export function searchQueryFrom(query: Record<string, unknown>): SearchQuery {
  return {
    q: text(query.q),
    city: text(query.city),
    category: text(query.category) as SearchQuery['category'],
    from: text(query.from),
    to: text(query.to),
    minPrice: number(query.minPrice),
    maxPrice: number(query.maxPrice),
    free: query.free === undefined ? undefined : query.free === 'true',
    organization: text(query.organization),
    sort: text(query.sort) as SearchQuery['sort'],
    cursor: text(query.cursor),
    limit: number(query.limit) ?? 20,
  };
}
