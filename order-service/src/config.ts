import { z } from 'zod';
import { env, serviceEnv } from '@twenny/config';
import { DEVELOPMENT_TICKET_KEY_IN_PRODUCTION, isDevelopmentTicketKey, ticketSigningKeysEnv } from './tickets/signing-keys.ts';

export const developmentWebhookSecret = 'twenny-development-payment-webhook-secret';

/** What both order processes (HTTP service and worker) read. */
const orderEnv = serviceEnv({ port: 4003, databaseRole: 'twenny_orders' }).extend({
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ: lets tests and several stacks share one Redis. */
  REDIS_PREFIX: env.prefix('twenny'),
  /** How long a hold keeps tickets for the buyer (seconds). */
  ORDER_HOLD_SECONDS: env.int(600, { min: 1, max: 24 * 3600 }),
  /** Tickets one buyer may hold and buy for one event, across all their holds and orders. */
  ORDER_MAX_TICKETS_PER_BUYER: env.int(10, { min: 1, max: 1000 }),
  /** How often changed inventory numbers go on the bus at most (ms): bursts are coalesced. */
  ORDER_INVENTORY_PUBLISH_MS: env.int(250, { min: 10, max: 60_000 }),
  /**
   * Holds and their releases commit without waiting for the disk (synchronous_commit off):
   * the hot inventory row is locked for microseconds instead of a WAL flush. A crash can
   * forget the last fraction of a second of them, all or nothing per hold (a forgotten hold
   * simply frees its tickets). Sales, payments and refunds always wait for the disk, and
   * each one also makes every hold before it durable.
   */
  ORDER_HOLDS_ASYNC_COMMIT: env.bool(true),
  /** The site buyers use: payment pages send them back here, mails link here. */
  PUBLIC_SITE_URL: env.url(['http:', 'https:'], 'http://127.0.0.1:3000'),
  /** The payment provider: `test` is the built-in one with its own hosted page and test cards. */
  PAYMENT_PROVIDER: z.enum(['test']).default('test'),
  /** Where the test provider's hosted page is reached by buyers (the site, which proxies /api). */
  PAYMENT_PAGE_BASE_URL: env.url(['http:', 'https:'], 'http://127.0.0.1:3000'),
  /** Signs the provider's webhooks. Several, comma-separated, while rotating: each signs, any one verifies. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').default(developmentWebhookSecret),
  /** Where the test provider delivers its webhooks; by default straight to this service. */
  PAYMENT_WEBHOOK_URL: env.optionalUrl(['http:', 'https:']),
  /** Ed25519 keys that sign ticket codes: `kid:base64(pkcs8)`, comma-separated, the signer first. */
  TICKET_SIGNING_KEYS: ticketSigningKeysEnv,
});

/** The BullMQ worker process: its own health port, and mail. */
const workerEnv = orderEnv.extend({
  WORKER_PORT: env.port(4013),
  WORKER_CONCURRENCY: env.int(20, { min: 1, max: 500 }),
  MAINTENANCE_EVERY_MINUTES: env.int(60, { min: 1, max: 24 * 60 }),
  /** How often the sweeper looks for holds whose timer was lost, refunds and mail to retry (ms); 0 turns it off. */
  ORDER_SWEEP_EVERY_MS: env.int(15_000, { min: 0, max: 3_600_000 }),
  /** A payment still open this long after it was made is looked up at the provider, in case its webhook was lost (ms). */
  ORDER_PAYMENT_RECONCILE_AFTER_MS: env.int(60_000, { min: 0, max: 24 * 3_600_000 }),
  /** smtp(s)://user:pass@host:port; empty in development writes mail to the log. */
  SMTP_URL: env.optionalUrl(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).default('twenny <tickets@twenny.local>'),
});

function productionChecks(config: z.output<typeof orderEnv> & { SMTP_URL?: string }, ctx: z.RefinementCtx, mail: boolean) {
  if (config.NODE_ENV !== 'production') return;
  if (isDevelopmentTicketKey(config.TICKET_SIGNING_KEYS)) ctx.addIssue({ code: 'custom', path: ['TICKET_SIGNING_KEYS'], message: DEVELOPMENT_TICKET_KEY_IN_PRODUCTION });
  if (config.PAYMENT_WEBHOOK_SECRET.split(',').includes(developmentWebhookSecret)) ctx.addIssue({ code: 'custom', path: ['PAYMENT_WEBHOOK_SECRET'], message: 'must be set to a secret of your own in production' });
  if (mail && !config.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (order confirmations)' });
}

export const configSchema = orderEnv.superRefine((config, ctx) => productionChecks(config, ctx, false));
export const workerConfigSchema = workerEnv.superRefine((config, ctx) => productionChecks(config, ctx, true));

export type OrderConfig = z.output<typeof configSchema>;
export type WorkerConfig = z.output<typeof workerConfigSchema>;
