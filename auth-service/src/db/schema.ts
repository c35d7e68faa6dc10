import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything auth-service stores lives in this schema, owned by its own role. */
export const authSchema = pgSchema('auth');

export const { outbox, inbox, subjectVersions } = messagingTables(authSchema);

// Better-Auth's tables (core, organization, admin and jwt plugins), as its Drizzle
// generator emits them for `schemaName: 'auth'` with uuid ids; timestamps carry
// their time zone. Triggers in the migrations write their outbox messages.
const id = () => uuid('id').default(sql`gen_random_uuid()`).primaryKey();
const at = (name: string) => timestamp(name, { withTimezone: true });

export const user = authSchema.table('user', {
  id: id(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').default(false).notNull(),
  image: text('image'),
  createdAt: at('created_at').defaultNow().notNull(),
  updatedAt: at('updated_at').defaultNow().notNull(),
  role: text('role'),
  banned: boolean('banned').default(false),
  banReason: text('ban_reason'),
  banExpires: at('ban_expires'),
});

export const session = authSchema.table(
  'session',
  {
    id: id(),
    expiresAt: at('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: at('created_at').defaultNow().notNull(),
    updatedAt: at('updated_at').defaultNow().notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: uuid('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    activeOrganizationId: text('active_organization_id'),
    impersonatedBy: text('impersonated_by'),
  },
  (table) => [index('session_user_id_idx').on(table.userId)],
);

export const account = authSchema.table(
  'account',
  {
    id: id(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: uuid('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: at('access_token_expires_at'),
    refreshTokenExpiresAt: at('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: at('created_at').defaultNow().notNull(),
    updatedAt: at('updated_at').defaultNow().notNull(),
  },
  (table) => [index('account_user_id_idx').on(table.userId)],
);

export const verification = authSchema.table(
  'verification',
  {
    id: id(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').defaultNow().notNull(),
    updatedAt: at('updated_at').defaultNow().notNull(),
  },
  (table) => [index('verification_identifier_idx').on(table.identifier)],
);

export const organization = authSchema.table(
  'organization',
  {
    id: id(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    logo: text('logo'),
    createdAt: at('created_at').defaultNow().notNull(),
    metadata: text('metadata'),
  },
  (table) => [uniqueIndex('organization_slug_uidx').on(table.slug)],
);

export const member = authSchema.table(
  'member',
  {
    id: id(),
    organizationId: uuid('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
    role: text('role').default('member').notNull(),
    createdAt: at('created_at').defaultNow().notNull(),
  },
  (table) => [
    index('member_organization_id_idx').on(table.organizationId),
    index('member_user_id_idx').on(table.userId),
    uniqueIndex('member_organization_user_uidx').on(table.organizationId, table.userId),
  ],
);

export const invitation = authSchema.table(
  'invitation',
  {
    id: id(),
    organizationId: uuid('organization_id').notNull().references(() => organization.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role'),
    status: text('status').default('pending').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').defaultNow().notNull(),
    inviterId: uuid('inviter_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  },
  (table) => [index('invitation_organization_id_idx').on(table.organizationId), index('invitation_email_idx').on(table.email)],
);

export const jwks = authSchema.table('jwks', {
  id: id(),
  publicKey: text('public_key').notNull(),
  privateKey: text('private_key').notNull(),
  createdAt: at('created_at').defaultNow().notNull(),
  expiresAt: at('expires_at'),
  alg: text('alg'),
  crv: text('crv'),
});

/**
 * The version of each aggregate auth-service publishes about (a user, an
 * organisation): bumped by the outbox triggers, one per message, so consumers
 * can drop stale messages.
 */
export const messageVersions = authSchema.table('message_versions', {
  subject: text('subject').primaryKey(),
  version: integer('version').notNull(),
});
