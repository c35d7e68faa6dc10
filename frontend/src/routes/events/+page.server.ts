import { api } from '#lib/server/api.ts';
import { eventSearchHref, eventSearchQuery, isFiltered, readEventSearch, searchMistake, type EventSearch } from '#lib/server/event-search.ts';
import type { ApiResult } from '#lib/server/api.ts';
import type { Category, City, EventSearchResult } from '#lib/types/catalog.ts';
import type { PageServerLoad } from './$types';

const pageSize = 12;

/** A refused search in words: the API's "invalid input" sentence is written for developers. */
function problemSentence(result: Extract<ApiResult<unknown>, { ok: false }>): string {
  if (result.status === 400) return result.problem.fields.cursor ? 'That page of results is out of date: start the search again.' : 'Some filters are not valid: check them and search again.';
  return result.problem.message;
}

/** The events list: the search lives in the URL, so every result page can be shared and the back button works. */
export const load: PageServerLoad = async (event) => {
  const search = readEventSearch(event.url);
  const mistake = searchMistake(search);
  const client = api(event);
  const query = eventSearchQuery(search, pageSize);
  const skipped = Promise.resolve(undefined);
  // Facet counts come with a search's first page only. Each filter's counts leave that
  // filter out ("Comedy (2)" while Music is chosen means two comedy events would match).
  const facetsWithout = (changes: Partial<EventSearch>) =>
    mistake ? skipped : client.get<EventSearchResult>('/api/events', { query: eventSearchQuery({ ...search, cursor: '', ...changes }, 1) });
  const [result, categoryFacets, cityFacets, categories, cities] = await Promise.all([
    mistake ? skipped : client.get<EventSearchResult>('/api/events', { query }),
    search.category || search.cursor ? facetsWithout({ category: '' }) : skipped,
    search.city || search.cursor ? facetsWithout({ city: '' }) : skipped,
    client.get<{ items: Category[] }>('/api/categories'),
    client.get<{ items: City[] }>('/api/cities'),
  ]);
  const facetsOf = (answer: typeof result) => (answer?.ok ? answer.data.facets : undefined);
  const categoryCount = new Map((facetsOf(categoryFacets) ?? facetsOf(result))?.categories.map((c) => [c.slug, c.count]));
  const cityCount = new Map((facetsOf(cityFacets) ?? facetsOf(result))?.cities.map((c) => [c.city, c.count]));
  // Every category and city stays choosable; the counts say how many match the rest of the search.
  const allCategories = categories.ok ? categories.data.items : [];
  const cityNames = [...new Set([...(cities.ok ? cities.data.items.map((c) => c.city) : []), ...cityCount.keys(), ...(search.city ? [search.city] : [])])];
  return {
    search,
    events: result?.ok ? result.data.items : [],
    problem: mistake ?? (result && !result.ok ? problemSentence(result) : undefined),
    nextHref: result?.ok && result.data.nextCursor ? eventSearchHref(search, { cursor: result.data.nextCursor }) : undefined,
    firstPageHref: search.cursor ? eventSearchHref(search, { cursor: '' }) : undefined,
    filtered: isFiltered(search),
    categories: allCategories.map((c) => ({ slug: c.slug, label: c.label, count: categoryCount.get(c.slug) ?? 0 })),
    categoryLabels: Object.fromEntries(allCategories.map((c) => [c.slug, c.label])),
    cities: cityNames.map((city) => ({ city, count: cityCount.get(city) ?? 0 })).sort((a, b) => a.city.localeCompare(b.city)),
  };
};
