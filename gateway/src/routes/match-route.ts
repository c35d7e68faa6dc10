import type { HttpMethod, RouteEntry } from './route-table.ts';

export type RouteMatch = { entry: RouteEntry } | { allow: string[] };

export interface RouteMatcher {
  /**
   * The first entry whose path and method match; when some entry's path matches
   * but none admits the method, the methods that would be admitted (for 405).
   */
  match(method: string, path: string): RouteMatch | undefined;
}

const segmentName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a route-table pattern is outside the syntax the gateway supports, or undefined. */
export function patternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/')) return 'must start with "/"';
  const segments = pattern.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return 'has an empty segment';
    if (segment.startsWith(':')) {
      if (!segmentName.test(segment.slice(1))) return `has a malformed parameter "${segment}"`;
    } else if (segment.startsWith('*')) {
      if (!segmentName.test(segment.slice(1))) return 'needs a name after "*" (Express 5: "*rest")';
      if (index !== segments.length - 1) return 'may have a wildcard only as its last segment';
    } else if (!/^[A-Za-z0-9._~-]+$/.test(segment)) {
      return `has a segment "${segment}" with characters other than letters, digits and . _ ~ -`;
    }
  }
  return undefined;
}

export function hasPlaceholders(pattern: string): boolean {
  return /\/[:*]/.test(pattern);
}

/**
 * The pattern as a regular expression over the raw (still percent-encoded) path.
 * Case-insensitive and tolerant of one trailing slash, as Express routes by
 * default: the services behind route that way, so the gateway must apply a
 * route's policy to every spelling the service would accept.
 */
export function patternRegExp(pattern: string): RegExp {
  const problem = patternProblem(pattern);
  if (problem) throw new Error(`route pattern ${pattern} ${problem}`);
  const segments = pattern.slice(1).split('/');
  const wildcard = segments.at(-1)!.startsWith('*');
  const source = segments
    .map((segment) => {
      if (segment.startsWith(':')) return '/[^/]+';
      if (segment.startsWith('*')) return '/.+';
      return `/${segment.replace(/[.~-]/g, (c) => `\\${c}`)}`;
    })
    .join('');
  return new RegExp(`^${source}${wildcard ? '' : '/?'}$`, 'i');
}

function admits(entry: RouteEntry, method: string): boolean {
  if (entry.methods === 'ALL') return true;
  return entry.methods.includes(method as HttpMethod) || (method === 'HEAD' && entry.methods.includes('GET'));
}

export function createRouteMatcher(entries: readonly RouteEntry[]): RouteMatcher {
  const compiled = entries.map((entry) => ({ entry, regexp: patternRegExp(entry.path) }));
  return {
    match(method, path) {
      let allow: Set<string> | undefined;
      for (const { entry, regexp } of compiled) {
        if (!regexp.test(path)) continue;
        if (admits(entry, method)) return { entry };
        allow ??= new Set();
        for (const admitted of entry.methods === 'ALL' ? [] : entry.methods) allow.add(admitted);
        if (entry.methods !== 'ALL' && entry.methods.includes('GET')) allow.add('HEAD');
      }
      return allow ? { allow: [...allow] } : undefined;
    },
  };
}
