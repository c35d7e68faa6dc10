import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { JSONWebKeySet } from 'jose';
import { authorize, createIdentityVerifier, type IdentityVerifier } from '@twenny/identity';
import { safeUrl, type Logger } from '@twenny/logger';
import { createMailer } from '@twenny/mail';
import { startService } from '@twenny/service-kit';
import { createAuth, type Auth } from './auth/create-auth.ts';
import { localKeySet } from './auth/local-key-set.ts';
import type { AuthConfig } from './config.ts';
import { traceInTransactions } from './db/trace-in-transactions.ts';
import * as schema from './db/schema.ts';
import { me } from './http/me.ts';
import { mountBetterAuth } from './http/mount-better-auth.ts';
import { authApiDocument } from './http/openapi.ts';
import { createSignInThrottle, type SignInThrottle } from './http/sign-in-throttle.ts';
import { seedDemoAccounts } from './seed/demo-accounts.ts';

export const serviceName = 'auth-service';

/**
 * auth-service: Better-Auth (accounts, sessions, organiser teams, platform
 * admins, identity tokens and their key set) under /api/auth, and GET /api/me.
 */
export async function startAuthService(config: AuthConfig, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: serviceName });
  let auth: Auth;
  let verifier: IdentityVerifier;
  let throttle: SignInThrottle;
  let apiDocument: object;

  const service = await startService(
    {
      name: serviceName,
      config,
      dbSchema: 'auth',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: [],
      trustProxy: config.TRUSTED_PROXIES,
      async init({ database, lifecycle, logger }) {
        try {
          await redis.connect();
        } catch (error) {
          throw new Error(`cannot reach Redis at ${safeUrl(config.REDIS_URL)}: ${(error as Error).message}`, { cause: error });
        }
        redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
        lifecycle.onStop('redis', async () => void (await redis.quit()), 'connections');
        const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
        lifecycle.onStop('mailer', () => mailer.close(), 'connections');

        auth = createAuth({ config, db: traceInTransactions(database.db), redis, mailer, logger });
        verifier = createIdentityVerifier({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          keys: localKeySet(async () => (await auth.api.getJwks()) as JSONWebKeySet),
        });
        throttle = createSignInThrottle({ redis, prefix: config.REDIS_PREFIX, maxFailures: config.SIGN_IN_MAX_FAILURES, windowSeconds: config.SIGN_IN_FAILURE_WINDOW_SECONDS, logger });
        apiDocument = await authApiDocument(auth);
        if (config.SEED_DEMO_ACCOUNTS) {
          if (config.NODE_ENV === 'production') logger.warn('SEED_DEMO_ACCOUNTS is ignored in production');
          else await seedDemoAccounts(auth, database.db, logger);
        }
      },
      rawBodyRoutes: (app) => mountBetterAuth(app, { auth, throttle }),
      routes: (app) => {
        // Policy "signed-in": a bearer identity token this service verifies itself.
        app.get('/api/me', authorize(verifier, 'signed-in'), me);
      },
      openapi: () => apiDocument,
      readiness: [{ name: 'redis', check: () => redis.ping() }],
    },
    options,
  );
  return { ...service, auth: auth! };
}
