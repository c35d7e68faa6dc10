/**
 * Where to go back to after signing in: a path on this site only. Control
 * characters and backslashes are refused outright (browsers drop tabs and read
 * a backslash as `/`, so `/\t/evil.example` would leave the site), and what remains must
 * resolve to this origin.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || /[\x00-\x1f\x7f\\]/.test(value)) return fallback;
  const base = 'http://site.invalid';
  const url = URL.parse(value, base);
  if (!url || url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
