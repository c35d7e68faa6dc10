import type { RoutePolicy } from '@twenny/identity';
import type { UpstreamName } from '../upstreams.ts';

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** Rate-limit buckets: each class counts separately, per client address and per user. */
export const rateClasses = ['default', 'sign-in', 'holds', 'webhooks', 'uploads'] as const;
export type RateClass = (typeof rateClasses)[number];

/**
 * How the caller's credentials travel upstream.
 * - `session`: Better-Auth's own routes. It reads its cookie itself, so the Cookie
 *   and Authorization headers pass untouched and the gateway adds no token (it
 *   may still resolve the caller to apply the route's policy).
 * - `token`: everything else. The Cookie header is stripped; a signed-in caller's
 *   verified identity token goes as `Authorization: Bearer <jwt>`.
 */
export type CredentialForwarding = 'session' | 'token';

export interface RouteEntry {
  /** `ALL` for every method; listing GET also admits HEAD. */
  methods: readonly HttpMethod[] | 'ALL';
  /**
   * Express 5 path syntax, limited to literal segments, `:param` segments and a
   * final `*name` wildcard (one or more segments). Matched case-insensitively and
   * forwarded unchanged: the upstream serves the same path.
   */
  path: string;
  /** A concrete path for tests; required when `path` has a parameter or a wildcard. */
  example?: string;
  upstream: UpstreamName;
  /** Coarse policy; ownership of a resource is decided by the service. */
  policy: RoutePolicy;
  rateLimit: RateClass;
  credentials: CredentialForwarding;
  /** Overrides BODY_LIMIT_BYTES for this route. */
  bodyLimitBytes?: number;
  /** Overrides UPSTREAM_TIMEOUT_MS for this route. */
  timeoutMs?: number;
  /**
   * The request ends the caller's session or changes what its identity token says
   * (sign-out, organisation membership): the gateway forgets the session's cached
   * token, so the caller's next request carries the new claims. GET and HEAD never do.
   */
  refreshesIdentity?: boolean;
  summary: string;
}

/** The largest upload body the gateway passes to media-service (its own limit, MEDIA_MAX_UPLOAD_BYTES, is at most this). */
export const mediaUploadLimitBytes = 32 * 1024 * 1024 + 64 * 1024;

/**
 * Every path the gateway exposes. Nothing else is proxied: an unlisted path is a
 * 404 from the gateway itself. The first entry that matches wins, so a specific
 * entry goes before the wildcard that would also match it (a test checks that
 * every entry's example reaches that entry). One line per route.
 */
export const routeTable: readonly RouteEntry[] = [
  { methods: ['GET'], path: '/api/me', upstream: 'auth', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'The signed-in caller, as their identity token says' },
  // An admin impersonating someone holds that person's session (and role) until they stop: any signed-in session may ask; Better-Auth checks who started it.
  { methods: ['POST'], path: '/api/auth/admin/stop-impersonating', upstream: 'auth', policy: 'signed-in', rateLimit: 'default', credentials: 'session', summary: 'End an impersonation and return to the administrator\'s own session' },
  { methods: 'ALL', path: '/api/auth/admin/*rest', example: '/api/auth/admin/list-users', upstream: 'auth', policy: 'platform-admin', rateLimit: 'default', credentials: 'session', summary: 'Platform administration: users, roles, bans, sessions' },
  { methods: ['POST'], path: '/api/auth/sign-in/*rest', example: '/api/auth/sign-in/email', upstream: 'auth', policy: 'public', rateLimit: 'sign-in', credentials: 'session', summary: 'Sign in (email and password, or a social provider)' },
  { methods: ['POST'], path: '/api/auth/sign-up/*rest', example: '/api/auth/sign-up/email', upstream: 'auth', policy: 'public', rateLimit: 'sign-in', credentials: 'session', summary: 'Create an account' },
  { methods: ['POST'], path: '/api/auth/sign-out', upstream: 'auth', policy: 'public', rateLimit: 'default', credentials: 'session', refreshesIdentity: true, summary: 'Sign out; the gateway forgets the session at once' },
  // Creating, joining or leaving a team changes the caller's `orgs` claim: their next request must not carry the old one.
  { methods: 'ALL', path: '/api/auth/organization/*rest', example: '/api/auth/organization/list', upstream: 'auth', policy: 'signed-in', rateLimit: 'default', credentials: 'session', refreshesIdentity: true, summary: 'Organiser teams: create, invite, accept, roles, leave (Better-Auth organization plugin)' },
  { methods: 'ALL', path: '/api/auth/*rest', example: '/api/auth/get-session', upstream: 'auth', policy: 'public', rateLimit: 'default', credentials: 'session', summary: 'Accounts, sessions, organisations and the identity key set (Better-Auth)' },
  // Catalog: public reads (a signed-in organiser's token still travels, to see their drafts), organiser writes.
  { methods: ['GET'], path: '/api/events', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'Search and list published events' },
  { methods: ['POST'], path: '/api/events', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Create an event (a draft)' },
  { methods: ['GET'], path: '/api/events/:key', example: '/api/events/amsterdam-jazz-night-5d2c6a', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'An event with its venue, ticket types and availability' },
  { methods: ['PATCH', 'DELETE'], path: '/api/events/:id', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Edit an event, or delete a draft' },
  { methods: ['POST'], path: '/api/events/:id/publish', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/publish', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Publish an event' },
  { methods: ['POST'], path: '/api/events/:id/unpublish', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/unpublish', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Take an event off sale' },
  { methods: ['POST'], path: '/api/events/:id/cancel', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/cancel', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Cancel an event' },
  { methods: ['POST'], path: '/api/events/:id/ticket-types', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/ticket-types', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Add a ticket type' },
  { methods: ['PATCH', 'DELETE'], path: '/api/events/:id/ticket-types/:ticketTypeId', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/ticket-types/0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Edit, hide or remove a ticket type' },
  { methods: ['GET'], path: '/api/organizations/:organizationId/events', example: '/api/organizations/3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c/events', upstream: 'catalog', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An organisation's own events, drafts included" },
  { methods: ['GET'], path: '/api/categories', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'Event categories' },
  { methods: ['GET'], path: '/api/cities', upstream: 'catalog', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'Cities with upcoming events' },
  // Orders: holds count against the strict `holds` limits; everything a buyer sees is their own (order-service checks).
  { methods: ['POST'], path: '/api/reservations', upstream: 'order', policy: 'signed-in', rateLimit: 'holds', credentials: 'token', summary: 'Hold tickets for a few minutes (Idempotency-Key honoured)' },
  { methods: ['GET', 'DELETE'], path: '/api/reservations/:id', example: '/api/reservations/7a1d9a3e-1c2b-4f4e-9a55-0d3c6b2f8e10', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'A hold of the caller, or let it go early' },
  { methods: ['POST'], path: '/api/reservations/:id/checkout', example: '/api/reservations/7a1d9a3e-1c2b-4f4e-9a55-0d3c6b2f8e10/checkout', upstream: 'order', policy: 'signed-in', rateLimit: 'holds', credentials: 'token', summary: 'Check out a hold: attendees, then payment (Idempotency-Key required)' },
  { methods: ['GET'], path: '/api/orders', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "The caller's orders" },
  { methods: ['GET'], path: '/api/orders/:id', example: '/api/orders/9c4e2d1a-6b7f-4e8a-9d0c-1f2e3a4b5c6d', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'An order of the caller (or of their organisation\'s event), with its tickets' },
  { methods: ['POST'], path: '/api/orders/:id/refund', example: '/api/orders/9c4e2d1a-6b7f-4e8a-9d0c-1f2e3a4b5c6d/refund', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: 'Refund a whole order: its buyer within the refund policy, its organiser any time' },
  { methods: ['GET'], path: '/api/tickets', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "The caller's tickets" },
  { methods: ['GET'], path: '/api/tickets/keys', upstream: 'order', policy: 'public', rateLimit: 'default', credentials: 'token', summary: 'Public keys that verify ticket codes offline (for door apps)' },
  { methods: ['GET'], path: '/api/tickets/:id/qr.svg', example: '/api/tickets/1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b/qr.svg', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "A ticket's QR code (its buyer only)" },
  { methods: ['GET'], path: '/api/events/:id/sales', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/sales', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An event's sales per ticket type and in total (its organisation's members)" },
  { methods: ['GET'], path: '/api/events/:id/sales/timeline', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/sales/timeline', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An event's sales and refunds by hour or day, empty buckets included" },
  { methods: ['GET'], path: '/api/events/:id/attendees', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/attendees', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An event's attendees: search, status filter, keyset pages" },
  { methods: ['GET'], path: '/api/events/:id/attendees.csv', example: '/api/events/5d2c6a8e-2f5b-4d0e-8d8f-3a3b9c1e7f22/attendees.csv', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An event's attendees as a CSV download (streamed)" },
  { methods: ['POST'], path: '/api/check-ins', upstream: 'order', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "Check a ticket in at the door (members of the event's organisation)" },
  // Payments: the provider's webhook proves itself by its signature; the test provider's hosted page is reached by its unguessable id.
  { methods: ['POST'], path: '/api/payments/webhooks/:provider', example: '/api/payments/webhooks/test', upstream: 'order', policy: 'public', rateLimit: 'webhooks', credentials: 'token', bodyLimitBytes: 65_536, summary: 'Payment provider webhooks (signed)' },
  { methods: ['GET', 'POST'], path: '/api/payments/test/:paymentId', example: '/api/payments/test/tp_example', upstream: 'order', policy: 'public', rateLimit: 'default', credentials: 'token', summary: "The built-in test provider's hosted payment page" },
  // Media: uploads stream through (media-service enforces MEDIA_MAX_UPLOAD_BYTES, at most this route's 32 MiB) and count against `uploads`.
  { methods: ['POST'], path: '/api/media/images', upstream: 'media', policy: 'signed-in', rateLimit: 'uploads', credentials: 'token', bodyLimitBytes: mediaUploadLimitBytes, timeoutMs: 120_000, summary: 'Upload an image of your organisation (multipart: file, organizationId); variants are made in the background' },
  { methods: ['GET'], path: '/api/media/images/:id', example: '/api/media/images/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', upstream: 'media', policy: 'signed-in', rateLimit: 'default', credentials: 'token', summary: "An image's status and variants (its organisation's members)" },
  // Variants: immutable bytes for everyone; ETag, Cache-Control and Range pass through both ways.
  { methods: ['GET'], path: '/media/:id/:variant', example: '/media/9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/800.webp', upstream: 'media', policy: 'public', rateLimit: 'default', credentials: 'token', summary: "An image variant's bytes (e.g. 800.webp), cached for a year" },
];

/** A concrete path that reaches the entry (for tests, including the platform's, which call services directly). */
export function routeExample(entry: RouteEntry): string {
  return entry.example ?? entry.path;
}

/** A method the entry admits (GET for `ALL`). */
export function routeExampleMethod(entry: RouteEntry): HttpMethod {
  return entry.methods === 'ALL' ? 'GET' : entry.methods[0]!;
}

/** Routes the gateway answers itself (all public). */
export const gatewayRoutes = [
  { method: 'GET', path: '/health', summary: 'Readiness of every service behind the gateway' },
  { method: 'GET', path: '/api/openapi.json', summary: 'This API, as OpenAPI 3.1: the route table merged with each service\'s own description' },
  { method: 'GET', path: '/api/docs', summary: 'A browsable view of /api/openapi.json' },
] as const;

/** How long a client may take to send a request: the longest any route allows (an upload on a slow line), 30 s at least. */
export const requestTimeoutMs = Math.max(30_000, ...routeTable.map((route) => route.timeoutMs ?? 0));
