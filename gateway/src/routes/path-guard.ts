// Percent-encodings that a canonical path never contains: unreserved characters
// (RFC 3986 says to decode them, and upstream routers may), separators, and controls.
function forbiddenEncoding(code: number): boolean {
  const char = String.fromCharCode(code);
  return /[A-Za-z0-9._~]/.test(char) || char === '-' || char === '/' || char === '\\' || code < 0x20 || code === 0x7f;
}

/**
 * Why a request path is not in canonical form, or undefined when it is. The
 * gateway matches raw paths and forwards them unchanged, while the service behind
 * (or a library it uses) may normalise: `/api/auth/../me`, `/api/%2e%2e/`, or
 * `/api/auth/%61dmin/...` could then be authorised against one route and served
 * by another. Such paths are refused instead of being interpreted.
 */
export function nonCanonicalPath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'it does not start with "/"';
  if (path.includes('//')) return 'it has an empty segment ("//")';
  if (path.includes('\\')) return 'it has a backslash';
  if (path.includes(';')) return 'it has a ";" (path parameters are not supported)';
  if (path.includes('/.')) {
    for (const segment of path.split('/')) if (segment === '.' || segment === '..') return 'it has a "." or ".." segment';
  }
  for (let index = path.indexOf('%'); index !== -1; index = path.indexOf('%', index + 1)) {
    const hex = path.slice(index + 1, index + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return 'it has a malformed percent-encoding';
    if (forbiddenEncoding(Number.parseInt(hex, 16))) return `it percent-encodes "%${hex}", which must be sent as is (or not at all)`;
  }
  return undefined;
}

/**
 * `nonCanonicalPath` for a request: its path, and its raw target, which may hold
 * a fragment the parsed path has dropped but that would be forwarded as sent.
 */
export function nonCanonicalTarget(target: string, path: string): string | undefined {
  if (target.includes('#')) return 'it has a "#" (a fragment never belongs in a request)';
  return nonCanonicalPath(path);
}
