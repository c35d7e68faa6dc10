import { describe, expect, it } from 'vitest';
import { searchQuery } from '../../../catalog-service/src/http/schemas.ts';
import { eventSearchHref, eventSearchQuery, isFiltered, readEventSearch, searchMistake } from '../../src/lib/server/event-search.ts';

/** The search of the events page at `query` (the part after "?", as typed or hand-edited). */
const searchOf = (query: string) => readEventSearch(new URL(`https://twenny.example/events?${query}`));
/** What catalog-service is asked for that page. */
const queryOf = (query: string) => eventSearchQuery(searchOf(query), 12);

/** The query as the API client sends it: empty values left out, the rest as text. */
function sent(query: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => [name, String(value)]));
}

describe('readEventSearch → eventSearchQuery: the /events URL into a catalog query', () => {
  it('reads a full search, prices into minor units', () => {
    expect(queryOf('q=jazz&city=Amsterdam&category=music&from=2027-03-01&to=2027-03-31&minPrice=15&maxPrice=40,5&sort=soonest&cursor=abc')).toEqual({
      q: 'jazz',
      city: 'Amsterdam',
      category: 'music',
      from: '2027-03-01',
      to: '2027-03-31',
      minPrice: 1500,
      maxPrice: 4050,
      free: undefined,
      sort: 'soonest',
      cursor: 'abc',
      limit: 12,
    });
  });

  it('asks for the soonest events when nothing is given', () => {
    expect(sent(queryOf(''))).toEqual({ sort: 'soonest', limit: '12' });
  });

  it.each([
    ['q=jazz', 'relevance'],
    ['q=jazz&sort=popular', 'popular'],
    ['sort=relevance', 'soonest'],
    ['q=%20%20&sort=relevance', 'soonest'],
    ['sort=DROP%20TABLE', 'soonest'],
    ['sort=__proto__', 'soonest'],
    ['q=jazz&sort=SOONEST', 'relevance'],
    ['sort=newest&sort=relevance', 'newest'],
  ])('sorts %s by %s (relevance only with search text)', (query, sort) => {
    expect(queryOf(query).sort).toBe(sort);
  });

  it('caps text at what the API takes: q 200, city 100, category 50, cursor 500 characters', () => {
    const long = 'é'.repeat(10_000);
    const search = searchOf(`q=${long}&city=${long}&category=${long}&cursor=${'c'.repeat(10_000)}`);
    expect([search.q.length, search.city.length, search.category.length, search.cursor.length]).toEqual([200, 100, 50, 500]);
  });

  it('reads the first of repeated parameters', () => {
    expect(sent(queryOf('q=first&q=second&minPrice=5&minPrice=abc&free=no&free=true'))).toMatchObject({ q: 'first', minPrice: '500' });
    expect(searchOf('free=no&free=true').free).toBe(false);
  });

  it('drops NUL characters, which the API refuses in text', () => {
    expect(queryOf('q=ja%00zz&city=%00').q).toBe('jazz');
    expect(queryOf('city=%00').city).toBeUndefined();
  });

  it.each(['2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-2-3', '20260301', '2026-03-01T10:00', ' ', '1999-12-31', '2101-01-01', '0000-01-01', '9999-99-99', '２０２６-03-01'])('drops the date %j', (date) => {
    const query = queryOf(`from=${encodeURIComponent(date)}&to=${encodeURIComponent(date)}`);
    expect(query.from).toBeUndefined();
    expect(query.to).toBeUndefined();
  });

  it.each(['2028-02-29', '2000-01-01', '2100-12-31'])('keeps the real day %j', (date) => {
    expect(queryOf(`from=${date}`).from).toBe(date);
  });

  it.each(['-5', '+5', '1e3', 'abc', '１５', 'Infinity', 'NaN', '0x10', '15.999', '1.2.3', '1 000', '99999999', '1000000.01', '9999999.99', ''])('drops the price %j', (price) => {
    const query = queryOf(`minPrice=${encodeURIComponent(price)}&maxPrice=${encodeURIComponent(price)}`);
    expect(query.minPrice).toBeUndefined();
    expect(query.maxPrice).toBeUndefined();
  });

  it.each([
    ['0', 0],
    ['15', 1500],
    ['15.5', 1550],
    ['15,5', 1550],
    ['0.29', 29],
    ['1000000', 100_000_000],
  ])('reads the price %j as %d cents', (price, minor) => {
    expect(queryOf(`maxPrice=${price}`).maxPrice).toBe(minor);
  });

  it('leaves prices out of a search for free events only', () => {
    expect(sent(queryOf('free=true&minPrice=10&maxPrice=20'))).toEqual({ free: 'true', sort: 'soonest', limit: '12' });
    for (const notFree of ['yes', 'TRUE', 'false', '0', '']) expect(queryOf(`free=${notFree}`).free).toBeUndefined();
  });

  it('passes a garbled cursor on to the API, which says the page is out of date', () => {
    expect(queryOf('cursor=%F0%9F%92%A9%3C%2Fscript%3E').cursor).toBe('💩</script>');
  });

  it('asks the API only what its schema takes, whatever the URL holds', () => {
    const values = ['', 'jazz', '%00', '%FF%FE', '-5', '10', '15,5', '1e3', '2026-02-30', '2027-03-01', '1999-01-01', '99999999', 'relevance', 'popular', 'true', '__proto__', 'x'.repeat(600), '%E2%80%AE', '%0D%0ASet-Cookie:%20x'];
    const names = ['q', 'city', 'from', 'to', 'minPrice', 'maxPrice', 'free', 'sort', 'cursor'];
    let seed = 7;
    const pick = <T>(list: T[]) => list[(seed = (seed * 48_271) % 2_147_483_647) % list.length]!;
    let refused = 0;
    for (let i = 0; i < 1000; i++) {
      const search = searchOf(names.map((name) => `${name}=${pick(values)}`).join('&'));
      const query = eventSearchQuery(search, 12);
      for (const number of [query.minPrice, query.maxPrice]) if (number !== undefined) expect(Number.isSafeInteger(number)).toBe(true);
      const parsed = searchQuery.safeParse(sent(query));
      if (parsed.success) continue;
      // Only a contradiction remains, and the page says so instead of asking.
      refused++;
      expect(parsed.error.issues.map((issue) => issue.path.join('.'))).toEqual(['minPrice']);
      expect(searchMistake(search)).toMatch(/minimum price/);
    }
    // Some searches did contradict themselves: the check above ran.
    expect(refused).toBeGreaterThan(0);
  });
});

describe('searchMistake: filters that contradict each other', () => {
  it('says when the dates or prices are the wrong way round', () => {
    expect(searchMistake(searchOf('from=2027-03-10&to=2027-03-01'))).toMatch(/From date/);
    expect(searchMistake(searchOf('minPrice=50&maxPrice=10'))).toMatch(/minimum price/);
    expect(searchMistake(searchOf('minPrice=10,5&maxPrice=10.50'))).toBeUndefined();
    expect(searchMistake(searchOf('from=2027-03-01&to=2027-03-01&minPrice=abc&maxPrice=10'))).toBeUndefined();
  });
});

describe('eventSearchHref: links to the same search', () => {
  it('gives back the same search when followed, whatever the text holds', () => {
    const search = searchOf(`q=${encodeURIComponent('rock & roll #1 = 100% "live"?')}&city=${encodeURIComponent('São Paulo/../x')}&from=2027-03-01&maxPrice=20&sort=newest&cursor=${encodeURIComponent('a+b/c==')}`);
    const href = eventSearchHref(search);
    expect(href.startsWith('/events?')).toBe(true);
    expect(readEventSearch(new URL(href, 'https://twenny.example'))).toEqual(search);
  });

  it('stays on /events for search text that looks like another site', () => {
    const href = eventSearchHref(searchOf(`q=${encodeURIComponent('//evil.example/')}`));
    expect(new URL(href, 'https://twenny.example').origin).toBe('https://twenny.example');
    expect(new URL(href, 'https://twenny.example').pathname).toBe('/events');
  });

  it('leaves out empty values and the default order; a cursor change keeps the rest', () => {
    expect(eventSearchHref(searchOf(''))).toBe('/events');
    expect(eventSearchHref(searchOf('q=jazz&sort=relevance'))).toBe('/events?q=jazz');
    expect(eventSearchHref(searchOf('city=Lisbon&cursor=p1'), { cursor: 'p2' })).toBe('/events?city=Lisbon&cursor=p2');
  });

  it('counts only real filters as filtering', () => {
    expect(isFiltered(searchOf('sort=newest&cursor=p2&from=2026-02-30&minPrice=-1'))).toBe(false);
    expect(isFiltered(searchOf('free=on'))).toBe(true);
  });
});
