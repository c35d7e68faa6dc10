import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/safe-next.ts';

describe('safeNext: where sign-in may send a person back to', () => {
  it.each(['/', '/events?city=Lisbon', '/events/canal-jazz-night#tickets', '/organiser/3f6a2b1c/events'])('keeps the path %s on this site', (path) => {
    expect(safeNext(path)).toBe(path);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['a tab browsers drop', '/\t/evil.example'],
    ['a newline (a broken Location header)', '/\n/evil.example'],
    ['a script URL', 'javascript:alert(1)'],
    ['nothing', ''],
    ['a relative path', 'events'],
  ])('refuses %s', (_what, value) => {
    expect(safeNext(value)).toBe('/');
    expect(safeNext(value, '/orders')).toBe('/orders');
  });

  it('normalises dot segments without leaving the site', () => {
    expect(safeNext('/a/../../events')).toBe('/events');
  });
});
