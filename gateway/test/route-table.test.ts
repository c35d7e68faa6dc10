import { describe, expect, it } from 'vitest';
import { routePolicies } from '@twenny/identity';
import { createRouteMatcher, hasPlaceholders, patternProblem, patternRegExp } from '../src/routes/match-route.ts';
import { nonCanonicalPath } from '../src/routes/path-guard.ts';
import { gatewayRoutes, httpMethods, rateClasses, requestTimeoutMs, routeTable, type RouteEntry } from '../src/routes/route-table.ts';
import { upstreamNames } from '../src/upstreams.ts';
import { exampleMethod, exampleOf } from './support/route-examples.ts';

describe('the route table', () => {
  const matcher = createRouteMatcher(routeTable);

  it.each(routeTable.map((entry) => [`${entry.methods} ${entry.path}`, entry] as const))('%s is well formed', (_, entry) => {
    expect(patternProblem(entry.path)).toBeUndefined();
    expect(upstreamNames).toContain(entry.upstream);
    expect(routePolicies).toContain(entry.policy);
    expect(rateClasses).toContain(entry.rateLimit);
    expect(['session', 'token']).toContain(entry.credentials);
    expect(entry.summary.length).toBeGreaterThan(3);
    if (entry.methods !== 'ALL') {
      expect(entry.methods.length).toBeGreaterThan(0);
      for (const method of entry.methods) expect(httpMethods).toContain(method);
    }
    if (hasPlaceholders(entry.path)) expect(entry.example, 'a pattern with a parameter or wildcard needs an example').toBeDefined();
    expect(nonCanonicalPath(exampleOf(entry))).toBeUndefined();
    // Only the gateway's own auth routes let the cookie through.
    if (entry.credentials === 'session') expect(entry.upstream).toBe('auth');
  });

  it.each(routeTable.map((entry) => [`${entry.methods} ${entry.path}`, entry] as const))('%s is reached by its example (no earlier entry shadows it)', (_, entry) => {
    expect(matcher.match(exampleMethod(entry), exampleOf(entry))).toEqual({ entry });
  });

  it('lists every path under /api (or /media, image bytes), and none the gateway serves itself', () => {
    for (const entry of routeTable) expect(entry.path.startsWith('/api/') || (entry.path.startsWith('/media/') && entry.upstream === 'media' && entry.methods !== 'ALL' && entry.methods.every((m) => m === 'GET'))).toBe(true);
    for (const route of gatewayRoutes) expect(matcher.match(route.method, route.path)).toBeUndefined();
  });

  it('routes the documented entries as issue 3 asks', () => {
    expect(matcher.match('GET', '/api/me')).toMatchObject({ entry: { upstream: 'auth', policy: 'signed-in', credentials: 'token' } });
    expect(matcher.match('DELETE', '/api/auth/admin/remove-user')).toMatchObject({ entry: { policy: 'platform-admin', credentials: 'session' } });
    expect(matcher.match('POST', '/api/auth/sign-in/social')).toMatchObject({ entry: { policy: 'public', rateLimit: 'sign-in' } });
    expect(matcher.match('GET', '/api/auth/get-session')).toMatchObject({ entry: { policy: 'public', credentials: 'session' } });
    expect(matcher.match('PATCH', '/api/auth/organization/update')).toMatchObject({ entry: { policy: 'signed-in', credentials: 'session' } });
    expect(matcher.match('POST', '/api/auth/sign-out')).toMatchObject({ entry: { refreshesIdentity: true } });
    expect(matcher.match('POST', '/api/auth/organization/accept-invitation')).toMatchObject({ entry: { refreshesIdentity: true, policy: 'signed-in' } });
  });

  it('routes media as issue 6 asks: uploads signed-in with room for the largest image, bytes public', () => {
    const upload = matcher.match('POST', '/api/media/images');
    expect(upload).toMatchObject({ entry: { upstream: 'media', policy: 'signed-in', rateLimit: 'uploads', credentials: 'token' } });
    expect((upload as { entry: RouteEntry }).entry.bodyLimitBytes).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    // The gateway's server lets a client take as long to send the upload as the route gives media-service.
    expect(requestTimeoutMs).toBeGreaterThanOrEqual((upload as { entry: RouteEntry }).entry.timeoutMs!);
    expect(requestTimeoutMs).toBeGreaterThan(30_000);
    expect(matcher.match('GET', '/api/media/images/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')).toMatchObject({ entry: { upstream: 'media', policy: 'signed-in' } });
    expect(matcher.match('GET', '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/1600.avif')).toMatchObject({ entry: { upstream: 'media', policy: 'public' } });
    expect(matcher.match('HEAD', '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/1600.avif')).toMatchObject({ entry: { upstream: 'media' } });
    expect(matcher.match('DELETE', '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/1600.avif')).toEqual({ allow: ['GET', 'HEAD'] });
  });
});

describe('route matching', () => {
  const matcher = createRouteMatcher(routeTable);

  it('is case-insensitive, as the services behind route: a spelling never escapes a stricter entry', () => {
    expect(matcher.match('GET', '/api/AUTH/Admin/list-users')).toMatchObject({ entry: { policy: 'platform-admin' } });
    expect(matcher.match('GET', '/API/ME')).toMatchObject({ entry: { path: '/api/me' } });
  });

  it('accepts one trailing slash on an exact path, and nothing below it', () => {
    expect(matcher.match('GET', '/api/me/')).toMatchObject({ entry: { path: '/api/me' } });
    expect(matcher.match('GET', '/api/me/x')).toBeUndefined();
    expect(matcher.match('GET', '/api/mex')).toBeUndefined();
  });

  it('needs at least one segment after a wildcard prefix', () => {
    expect(matcher.match('GET', '/api/auth/')).toBeUndefined();
    expect(matcher.match('GET', '/api/auth')).toBeUndefined();
  });

  it('lets HEAD through where GET is listed, and names the allowed methods otherwise', () => {
    expect(matcher.match('HEAD', '/api/me')).toMatchObject({ entry: { path: '/api/me' } });
    expect(matcher.match('DELETE', '/api/me')).toEqual({ allow: ['GET', 'HEAD'] });
  });

  it('leaves unlisted paths unmatched (no pass-through)', () => {
    expect(matcher.match('GET', '/api/tickets-for-free')).toBeUndefined();
    expect(matcher.match('GET', '/internal/metrics')).toBeUndefined();
    expect(matcher.match('GET', '/')).toBeUndefined();
  });

  it('refuses patterns outside the supported syntax', () => {
    expect(patternProblem('/api/x/*')).toMatch(/name after/);
    expect(patternProblem('/api/*rest/x')).toMatch(/last segment/);
    expect(patternProblem('/api/{optional}')).toMatch(/characters/);
    expect(patternProblem('api/x')).toMatch(/start/);
    expect(() => patternRegExp('/api//x')).toThrow(/empty segment/);
  });

  it('treats parameters as one segment and wildcards as one or more', () => {
    const entries: RouteEntry[] = [
      { methods: ['GET'], path: '/api/events/:id', example: '/api/events/e1', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'one event' },
      { methods: ['GET'], path: '/api/files/*rest', example: '/api/files/a/b', upstream: 'media', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'files' },
    ];
    const local = createRouteMatcher(entries);
    expect(local.match('GET', '/api/events/e1')).toEqual({ entry: entries[0] });
    expect(local.match('GET', '/api/events/e1/x')).toBeUndefined();
    expect(local.match('GET', '/api/files/a/b/c')).toEqual({ entry: entries[1] });
  });
});

describe('canonical paths', () => {
  it.each([
    ['/api/me/../auth', /"\." or "\.\." segment/],
    ['/api/auth/./admin/x', /segment/],
    ['/api/%2e%2e/auth/x', /%2e/],
    ['/api/auth/%2E%2E/me', /%2E/],
    ['/api/auth/%61dmin/list-users', /%61/],
    ['/api/auth/admin%2flist-users', /%2f/],
    ['/api/auth/admin%5clist-users', /%5c/],
    ['/api/me%00', /%00/],
    ['/api/me%zz', /malformed/],
    ['/api/me%', /malformed/],
    ['/api//me', /empty segment/],
    ['/api\\me', /backslash/],
    ['/api/auth/admin;x=1/list-users', /";"/],
  ])('refuses %s', (path, reason) => {
    expect(nonCanonicalPath(path)).toMatch(reason);
  });

  it.each(['/api/me', '/api/auth/sign-in/email', '/api/events/caf%C3%A9', '/api/search/a%20b', '/api/openapi.json', '/api/x/.well-known'])('accepts %s', (path) => {
    expect(nonCanonicalPath(path)).toBeUndefined();
  });
});
