import { z } from 'zod';
import { env, serviceEnv } from '@twenny/config';

const developmentSecret = 'twenny-development-secret-never-use-in-production';

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

export const configSchema = serviceEnv({ port: 4001, databaseRole: 'twenny_auth' })
  .extend({
    /** Signs cookies and encrypts the JWT private keys at rest. 32+ characters. */
    BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').default(developmentSecret),
    /** The public origin people use: the site, whose /api/* proxy reaches auth. Links in mail point here. */
    AUTH_BASE_URL: env.url(['http:', 'https:'], 'http://localhost:3000'),
    /** Other origins allowed to send cookies-bearing requests (the base URL always is). */
    AUTH_TRUSTED_ORIGINS: commaList,
    /** Only these hops may set X-Forwarded-For (the gateway); Express `trust proxy` syntax. */
    TRUSTED_PROXIES: z.string().min(1).default('loopback'),
    REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    REDIS_PREFIX: env.prefix('twenny'),
    /** Lifetime of an identity token; the gateway caches it until shortly before. */
    // At least 2 minutes: the gateway stops reusing a token 30 s before it expires.
    AUTH_JWT_TTL_SECONDS: env.int(300, { min: 120, max: 3600 }),
    /** A new signing key this often; old keys stay published for AUTH_JWT_TTL_SECONDS past rotation and a margin. */
    AUTH_KEY_ROTATION_DAYS: env.int(30, { min: 1, max: 365 }),
    /** Wrong passwords in a row (per account and client address) before sign-in answers 429. */
    SIGN_IN_MAX_FAILURES: env.int(20, { min: 1, max: 1000 }),
    /** How long a failure counts, and how long a blocked client waits. */
    SIGN_IN_FAILURE_WINDOW_SECONDS: env.int(900, { min: 1, max: 86_400 }),
    /** Whether an unverified address may sign in. */
    REQUIRE_EMAIL_VERIFICATION: env.bool(false),
    /** smtp(s)://user:pass@host:port; empty in development writes mail to the log. */
    SMTP_URL: env.optionalUrl(['smtp:', 'smtps:']),
    MAIL_FROM: z.string().min(3).default('twenny <no-reply@twenny.local>'),
    GITHUB_CLIENT_ID: optionalText,
    GITHUB_CLIENT_SECRET: optionalText,
    GOOGLE_CLIENT_ID: optionalText,
    GOOGLE_CLIENT_SECRET: optionalText,
    /** Create the demo accounts at start (never honoured in production). */
    SEED_DEMO_ACCOUNTS: env.bool(false),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    if (config.BETTER_AUTH_SECRET === developmentSecret) {
      ctx.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRET'], message: 'must be set to a secret of your own in production' });
    }
    if (!config.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (verification and reset mail)' });
  });

export type AuthConfig = z.output<typeof configSchema>;
