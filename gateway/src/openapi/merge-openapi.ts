import { createRouteMatcher } from '../routes/match-route.ts';
import { gatewayRoutes, type RouteEntry } from '../routes/route-table.ts';
import { serviceLabel, type UpstreamName } from '../upstreams.ts';
import { namespacedName, referencedComponents, rewriteRefs } from './namespace-components.ts';
import type { OpenApiDocument, UpstreamDocument } from './upstream-documents.ts';

type Json = Record<string, unknown>;

const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
// An `ALL` entry described from the table alone lists these.
const allMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/gateway.Problem' } } } });

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
  },
};

/** Responses the gateway itself may give on a route, whatever the service says. */
function gatewayResponses(entry: RouteEntry): Json {
  const responses: Json = {
    '429': problem('Too many requests (see Retry-After and the RateLimit headers).'),
    '503': problem('The service, or identity checking, is unavailable; retry later.'),
    '504': problem('The service did not answer in time.'),
  };
  if (entry.policy !== 'public' || entry.credentials === 'token') responses['401'] = problem('Missing, malformed, expired or otherwise invalid credentials.');
  if (entry.policy === 'platform-admin') responses['403'] = problem('Signed in, but not a platform administrator.');
  return responses;
}

function decorate(operation: Json, entry: RouteEntry, upstream: UpstreamName): Json {
  const { servers: _servers, security: _security, ...rest } = operation;
  const decorated: Json = {
    ...rest,
    summary: typeof rest.summary === 'string' ? rest.summary : entry.summary,
    tags: Array.isArray(rest.tags) ? rest.tags : [upstream],
    responses: { ...gatewayResponses(entry), ...(isObject(rest.responses) ? rest.responses : {}) },
    'x-twenny-policy': entry.policy,
    'x-twenny-upstream': upstream,
    'x-twenny-rate-limit': entry.rateLimit,
  };
  // operationIds are unique across the whole document.
  if (typeof rest.operationId === 'string') decorated.operationId = `${upstream}.${rest.operationId}`;
  if (entry.policy !== 'public') decorated.security = [{ bearerToken: [] }, { sessionCookie: [] }];
  return decorated;
}

/** `/api/events/:id` → `/api/events/{id}`; a wildcard becomes a parameter that may hold slashes. */
function openApiPath(pattern: string): { path: string; parameters: Json[] } {
  const parameters: Json[] = [];
  const path = pattern.replace(/\/([:*])([A-Za-z_][A-Za-z0-9_]*)/g, (_, kind: string, name: string) => {
    parameters.push({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(kind === '*' ? { description: 'The rest of the path: one or more segments, "/" included.', 'x-twenny-wildcard': true } : {}),
    });
    return `/{${name}}`;
  });
  return { path, parameters };
}

function tableOnlyOperations(entry: RouteEntry, state: UpstreamDocument | undefined): { path: string; item: Json } {
  const { path, parameters } = openApiPath(entry.path);
  const why =
    state?.status === 'merged'
      ? `The ${serviceLabel(entry.upstream)}'s own description does not describe this route`
      : `The ${serviceLabel(entry.upstream)}'s own description is unavailable`;
  const methods = entry.methods === 'ALL' ? allMethods : entry.methods.map((method) => method.toLowerCase());
  const item: Json = {};
  for (const method of methods) {
    item[method] = decorate(
      {
        description: `${why}; described from the gateway's route table only.`,
        ...(parameters.length > 0 ? { parameters } : {}),
        responses: { default: { description: `Whatever the ${serviceLabel(entry.upstream)} answers.` } },
        'x-twenny-source': 'route-table',
      },
      entry,
      entry.upstream,
    );
  }
  return { path, item };
}

/** The path prefix of a document's first server (`/api/auth` in `http://host/api/auth`), if any. */
function serverPrefix(document: OpenApiDocument): string {
  const url = document.servers?.[0]?.url;
  if (typeof url !== 'string') return '';
  try {
    return new URL(url, 'http://gateway.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

export interface MergeInput {
  routes: readonly RouteEntry[];
  documents: Partial<Record<UpstreamName, UpstreamDocument>>;
}

/**
 * The public API as OpenAPI 3.1: each service's own operations, but only those
 * the route table exposes (matched exactly as requests are), each marked with
 * its policy, rate-limit class and (when not public) security; routes a service
 * does not describe, or whose service could not be asked, are described from the
 * table. Component names are namespaced per service, and only components the
 * exposed operations reach are kept.
 */
export function mergeOpenApi({ routes, documents }: MergeInput): Json {
  const matcher = createRouteMatcher(routes);
  const paths: Record<string, Json> = {};
  const available = new Map<string, unknown>(); // `${section}/${namespaced name}` → component
  const described = new Set<RouteEntry>();
  const upstreams = [...new Set(routes.map((entry) => entry.upstream))];

  for (const upstream of upstreams) {
    const state = documents[upstream];
    if (state?.status !== 'merged') continue;
    const { document } = state;
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      // Security is the gateway's to describe: a service's own schemes are not exposed.
      if (section === 'securitySchemes' || !isObject(entries)) continue;
      for (const [name, component] of Object.entries(entries)) available.set(`${section}/${namespacedName(upstream, name)}`, rewriteRefs(component, upstream));
    }
    const prefix = serverPrefix(document);
    for (const [rawPath, item] of Object.entries(document.paths ?? {})) {
      if (!isObject(item)) continue;
      // Paths are relative to the server's URL; some services already spell them in full.
      const path = prefix && !rawPath.startsWith(`${prefix}/`) ? `${prefix}${rawPath}` : rawPath;
      for (const method of operationMethods) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const match = matcher.match(method.toUpperCase(), path);
        if (!match || !('entry' in match) || match.entry.upstream !== upstream) continue;
        const pathItem = (paths[path] ??= {});
        if (pathItem[method]) continue;
        if (Array.isArray(item.parameters) && !pathItem.parameters) pathItem.parameters = rewriteRefs(item.parameters, upstream);
        pathItem[method] = decorate(rewriteRefs(operation, upstream), match.entry, upstream);
        described.add(match.entry);
      }
    }
  }

  for (const entry of routes) {
    if (described.has(entry)) continue;
    const { path, item } = tableOnlyOperations(entry, documents[entry.upstream]);
    paths[path] = { ...item, ...paths[path] };
  }

  for (const route of gatewayRoutes) {
    paths[route.path] = {
      [route.method.toLowerCase()]: {
        summary: route.summary,
        tags: ['gateway'],
        responses: { '200': { description: 'OK' } },
        'x-twenny-policy': 'public',
        'x-twenny-upstream': 'gateway',
      },
    };
  }

  const components: Record<string, Json> = {
    schemas: { 'gateway.Problem': problemSchema },
    securitySchemes: {
      bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An identity token from auth-service (GET /api/auth/token).' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'twenny.session_token', description: 'A Better-Auth session (`__Secure-twenny.session_token` over https); the gateway exchanges it for an identity token.' },
    },
  };
  // Pull in the components the exposed operations reach, and theirs in turn.
  const queue = referencedComponents(paths);
  for (let next = queue.pop(); next; next = queue.pop()) {
    const [section, name] = next;
    if (components[section]?.[name] !== undefined) continue;
    const component = available.get(`${section}/${name}`);
    if (component === undefined) continue;
    (components[section] ??= {})[name] = component;
    referencedComponents(component, queue);
  }

  const upstreamStatus = Object.fromEntries(
    upstreams.map((upstream) => {
      const state = documents[upstream];
      return [upstream, state?.status === 'merged' ? { status: 'merged', fetchedAt: state.fetchedAt } : { status: 'unavailable', reason: state?.reason ?? 'not fetched' }];
    }),
  );
  const missing = upstreams.filter((upstream) => documents[upstream]?.status !== 'merged');
  const description = [
    'The twenny API, through its gateway. Every operation names its access policy (`x-twenny-policy`: public, signed-in or platform-admin) and rate-limit class (`x-twenny-rate-limit`).',
    ...missing.map((upstream) => `The ${serviceLabel(upstream)}'s own description could not be fetched (${(upstreamStatus[upstream] as { reason: string }).reason}); its routes are described from the gateway's route table only.`),
  ].join('\n\n');

  return {
    openapi: '3.1.0',
    info: { title: 'twenny API', version: '1', description },
    paths,
    components,
    'x-twenny-upstreams': upstreamStatus,
  };
}
