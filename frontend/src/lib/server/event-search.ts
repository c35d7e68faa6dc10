import type { EventSort } from '#lib/types/catalog.ts';

/**
 * The events page's search, all of it in the URL (a GET form): what the form
 * shows back, and what catalog-service is asked. Prices are typed in whole
 * currency units ("15") and sent in minor units (1500).
 */
export interface EventSearch {
  q: string;
  city: string;
  category: string;
  from: string;
  to: string;
  minPrice: string;
  maxPrice: string;
  free: boolean;
  sort: EventSort;
  cursor: string;
}

const sorts: EventSort[] = ['soonest', 'relevance', 'newest', 'popular'];
const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
const price = /^\d{1,7}([.,]\d{1,2})?$/;
// What catalog-service takes: prices up to 100000000 minor units, dates in the years 2000 to 2100.
const maxPriceMinor = 100_000_000;

function param(url: URL, name: string, max = 200): string {
  // catalog-service refuses text holding a NUL character.
  return (url.searchParams.get(name) ?? '').replaceAll('\u0000', '').trim().slice(0, max);
}

/** Whether `value` is a day of the calendar ("2026-02-30" is not) in the years the API takes. */
function isDay(value: string): boolean {
  const match = isoDay.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Reads the search from the page's URL, dropping what is not a valid value (a hand-edited URL still shows results). */
export function readEventSearch(url: URL): EventSearch {
  const q = param(url, 'q');
  const requestedSort = param(url, 'sort') as EventSort;
  // Relevance means nothing without search text; with text, it is the natural order.
  const sort: EventSort = sorts.includes(requestedSort) ? (requestedSort === 'relevance' && !q ? 'soonest' : requestedSort) : q ? 'relevance' : 'soonest';
  const day = (name: string) => (isDay(param(url, name)) ? param(url, name) : '');
  const amount = (name: string) => {
    const value = param(url, name);
    return price.test(value) && (toMinor(value) ?? 0) <= maxPriceMinor ? value : '';
  };
  const free = ['true', 'on', '1'].includes(param(url, 'free'));
  return {
    q,
    city: param(url, 'city', 100),
    category: param(url, 'category', 50),
    from: day('from'),
    to: day('to'),
    minPrice: free ? '' : amount('minPrice'),
    maxPrice: free ? '' : amount('maxPrice'),
    free,
    sort,
    cursor: param(url, 'cursor', 500),
  };
}

function toMinor(amount: string): number | undefined {
  return amount ? Math.round(Number(amount.replace(',', '.')) * 100) : undefined;
}

/** The catalog query for a search (GET /api/events). */
export function eventSearchQuery(search: EventSearch, limit: number): Record<string, string | number | undefined> {
  return {
    q: search.q || undefined,
    city: search.city || undefined,
    category: search.category || undefined,
    from: search.from || undefined,
    to: search.to || undefined,
    minPrice: toMinor(search.minPrice),
    maxPrice: toMinor(search.maxPrice),
    free: search.free ? 'true' : undefined,
    sort: search.sort,
    cursor: search.cursor || undefined,
    limit,
  };
}

/** The page's own URL for the same search, e.g. with the next page's cursor: empty values left out so links stay short. */
export function eventSearchHref(search: EventSearch, changes: Partial<EventSearch> = {}): string {
  const merged = { ...search, ...changes };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(merged)) {
    if (value === '' || value === false) continue;
    // The default order is implied by the presence of search text.
    if (name === 'sort' && value === (merged.q ? 'relevance' : 'soonest')) continue;
    params.set(name, value === true ? 'true' : String(value));
  }
  const query = params.toString();
  return query ? `/events?${query}` : '/events';
}

/** Whether anything narrows the list (for "Clear filters" and the empty-state wording). */
export function isFiltered(search: EventSearch): boolean {
  return !!(search.q || search.city || search.category || search.from || search.to || search.minPrice || search.maxPrice || search.free);
}

/** Filters that contradict each other, in words; undefined when the search can run. */
export function searchMistake(search: EventSearch): string | undefined {
  if (search.from && search.to && search.from > search.to) return 'The “From date” is after the “To date”: change one of them.';
  const min = toMinor(search.minPrice);
  const max = toMinor(search.maxPrice);
  if (min !== undefined && max !== undefined && min > max) return 'The minimum price is above the maximum price: change one of them.';
  return undefined;
}
