import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, jwt, openAPI, organization } from 'better-auth/plugins';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Logger } from '@twenny/logger';
import type { Mailer } from '@twenny/mail';
import type { AuthConfig } from '../config.ts';
import * as schema from '../db/schema.ts';
import { mailMessages } from '../mail/messages.ts';
import { identityClaimsOf } from './identity-claims.ts';
import { redisSecondaryStorage } from './redis-storage.ts';
import { socialProviders } from './social-providers.ts';

export interface AuthDeps {
  config: AuthConfig;
  db: PostgresJsDatabase<typeof schema>;
  redis: Redis;
  mailer: Mailer;
  logger: Logger;
}

/** The header auth-service sets from Express's `req.ip` (which honours TRUSTED_PROXIES); clients cannot set it. */
export const clientAddressHeader = 'x-twenny-client-address';

/** A failed mail must not fail the request that caused it; it is logged, and the user can ask again. */
function sendInBackground(deps: AuthDeps, mail: Parameters<Mailer['send']>[0]) {
  void deps.mailer.send(mail).catch((error: unknown) => deps.logger.error({ err: error, subject: mail.subject }, 'mail could not be sent'));
}

/**
 * Better-Auth, configured for twenny: email + password with verification and
 * reset mail, GitHub/Google when configured, organiser teams, platform admins,
 * and short-lived EdDSA identity tokens with the claims services check.
 */
export function createAuth(deps: AuthDeps) {
  const { config, db, redis, logger } = deps;
  const baseURL = config.AUTH_BASE_URL;
  return betterAuth({
    appName: 'twenny',
    baseURL,
    basePath: '/api/auth',
    secret: config.BETTER_AUTH_SECRET,
    trustedOrigins: [new URL(baseURL).origin, ...config.AUTH_TRUSTED_ORIGINS],
    telemetry: { enabled: false },
    logger: {
      log: (level, message, ...args) => {
        const fields = args.length > 0 ? { detail: args.map((a) => (a instanceof Error ? a.message : a)) } : {};
        logger[level](fields, `better-auth: ${message}`);
      },
    },
    database: drizzleAdapter(db, { provider: 'pg', schema, transaction: true }),
    secondaryStorage: redisSecondaryStorage(redis, config.REDIS_PREFIX),
    session: {
      // Postgres stays the source of truth; Redis is a cache that may be wiped.
      storeSessionInDatabase: true,
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    verification: { storeInDatabase: true },
    user: { deleteUser: { enabled: false } },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, url }) => sendInBackground(deps, mailMessages.resetPassword(user.email, url)),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url }) => sendInBackground(deps, mailMessages.verifyEmail(user.email, url)),
    },
    socialProviders: socialProviders(config),
    rateLimit: {
      enabled: true,
      storage: 'secondary-storage',
      window: 60,
      max: 300,
      customRules: {
        // Failed sign-ins have their own limit (sign-in-throttle.ts), which counts failures, not attempts.
        '/sign-in/email': false,
        '/sign-up/email': { window: 3600, max: 20 },
        '/request-password-reset': { window: 3600, max: 10 },
        '/send-verification-email': { window: 3600, max: 10 },
        '/token': { window: 60, max: 600 },
        '/jwks': false,
      },
    },
    advanced: {
      cookiePrefix: 'twenny',
      useSecureCookies: baseURL.startsWith('https:'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      ipAddress: { ipAddressHeaders: [clientAddressHeader] },
      database: { generateId: 'uuid' },
    },
    plugins: [
      organization({
        allowUserToCreateOrganization: true,
        creatorRole: 'owner',
        invitationExpiresIn: 60 * 60 * 24 * 7,
        sendInvitationEmail: async ({ id, email, role, organization, inviter }) => {
          const url = new URL(`/invitations/${encodeURIComponent(id)}`, baseURL).toString();
          sendInBackground(deps, mailMessages.invitation(email, url, organization.name, inviter.user.name || inviter.user.email, role));
        },
      }),
      admin({ defaultRole: 'user', adminRoles: ['admin'] }),
      jwt({
        jwks: {
          keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' },
          rotationInterval: config.AUTH_KEY_ROTATION_DAYS * 86_400,
          // Old keys stay published long enough for every token they signed to expire.
          gracePeriod: Math.max(86_400, config.AUTH_JWT_TTL_SECONDS * 2),
        },
        jwt: {
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          expirationTime: `${config.AUTH_JWT_TTL_SECONDS}s`,
          definePayload: async ({ user }) => {
            const memberships = await db
              .select({ organizationId: schema.member.organizationId, role: schema.member.role })
              .from(schema.member)
              .where(eq(schema.member.userId, user.id));
            return identityClaimsOf(user, memberships);
          },
        },
      }),
      openAPI({ disableDefaultReference: true }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
