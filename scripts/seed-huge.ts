/**
 * `npm run seed:huge -- [--events N] [--tickets N] [--reset] [--orders-only]`:
 * a big, consistent data set for search, listings, sales views and benchmarks.
 *
 * 1. catalog-service's seed (catalog-service/src/seed/huge-seed.ts): venues,
 *    events (default 300,000) and their ticket types;
 * 2. order-service's seed (order-service/src/seed/huge-orders-seed.ts): the
 *    events as order-service knows them, their inventory, and what selling
 *    them left behind (default 10 tickets per event: 3 million), with
 *    catalog's availability equal to the inventory.
 *
 * --tickets N     tickets to issue (valid and void) instead of 10 per event; 0: none
 * --reset         delete what the seed fills first (otherwise it refuses to add to it)
 * --orders-only   keep the catalog and seed the orders again (with --reset)
 *
 * Ticket codes are signed with TICKET_SIGNING_KEYS (unset: the development
 * key, as order-service defaults), so set it as order-service has it.
 * DATABASE_URL is catalog-service's (its role runs catalog's part);
 * DATABASE_ADMIN_URL is a superuser's, with which the orders part acts for
 * both services.
 */
import { parseArgs } from 'node:util';
import { connectDatabase } from '@twenny/db';
import { localDefaults } from '@twenny/dev-infra';
import { defaultEvents, formatSummary, maxEvents, prepareDatabase, SeedError as CatalogSeedError, seedCatalog } from '../catalog-service/src/seed/huge-seed.ts';
import { defaultTicketsPerEvent, formatOrdersSummary, makeRoomForOrders, migrateOrders, SeedError as OrdersSeedError, seedOrders, signingKeys } from '../order-service/src/seed/huge-orders-seed.ts';

const defaultDatabaseUrl = 'postgres://twenny_catalog:twenny_catalog@127.0.0.1:5432/twenny';

/** The most tickets: the plan keeps a few numbers per ticket in memory. */
const maxTickets = 100_000_000;

interface Options {
  events: number;
  /** Undefined: 10 per event of the catalog. */
  tickets: number | undefined;
  reset: boolean;
  ordersOnly: boolean;
}

function readOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: { events: { type: 'string' }, tickets: { type: 'string' }, reset: { type: 'boolean', default: false }, 'orders-only': { type: 'boolean', default: false } },
  });
  const events = Number(values.events ?? defaultEvents);
  if (!Number.isInteger(events) || events < 1 || events > maxEvents) throw new CatalogSeedError(`--events takes a whole number from 1 to ${maxEvents.toLocaleString('en-US')}`);
  const tickets = values.tickets === undefined ? undefined : Number(values.tickets);
  if (tickets !== undefined && (!Number.isInteger(tickets) || tickets < 0 || tickets > maxTickets)) throw new CatalogSeedError(`--tickets takes a whole number from 0 to ${maxTickets.toLocaleString('en-US')}`);
  if (values['orders-only'] && values.events !== undefined) throw new CatalogSeedError('--orders-only keeps the catalog: leave out --events');
  return { events, tickets, reset: values.reset, ordersOnly: values['orders-only'] };
}

/** The superuser's URL for the services' database (DATABASE_ADMIN_URL may name any database of the cluster). */
function adminUrlFor(adminUrl: string, databaseUrl: string): string {
  const url = new URL(adminUrl);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const ticketSigningKeys = signingKeys(process.env.TICKET_SIGNING_KEYS);
  const databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl;
  const clusterAdminUrl = process.env.DATABASE_ADMIN_URL ?? localDefaults.adminDatabaseUrl;
  const adminUrl = adminUrlFor(clusterAdminUrl, databaseUrl);
  const progress = (text: string) => process.stderr.write(text);
  const startedAt = performance.now();

  // The database, the roles, catalog's and order-service's tables, as the services make them.
  const catalog = await prepareDatabase(databaseUrl, clusterAdminUrl);
  const admin = connectDatabase({ url: adminUrl, max: 2, applicationName: 'seed-huge' });
  try {
    await migrateOrders(adminUrl);
    // Refused (or emptied) before the catalog's minutes of loading, not after.
    await makeRoomForOrders(admin.sql, options.reset);

    if (!options.ordersOnly) {
      const summary = await seedCatalog(catalog.sql, { events: options.events, reset: options.reset, progress });
      process.stdout.write(formatSummary(summary));
    }
    const [known] = await admin.sql<{ events: number }[]>`select count(*)::int as events from catalog.events`;
    if (known!.events === 0) throw new OrdersSeedError('the catalog has no events to sell: run without --orders-only first');
    const tickets = options.tickets ?? known!.events * defaultTicketsPerEvent;
    const orders = await seedOrders(admin.sql, { tickets, reset: options.reset, ticketSigningKeys, progress });
    process.stdout.write(formatOrdersSummary(orders));
    process.stdout.write(`seed:huge done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);
  } finally {
    await admin.close();
    await catalog.close();
  }
}

if (import.meta.main) {
  await main().catch((error: unknown) => {
    const usage = error instanceof CatalogSeedError || error instanceof OrdersSeedError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    process.stderr.write(`seed:huge: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
