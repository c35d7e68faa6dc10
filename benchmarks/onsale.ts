/**
 * npm run bench:onsale — an on-sale: many buyers at once for one ticket type,
 * through the gateway, against the ceiling of its hot row, in one run:
 *   (on-sale) the gateway, order-service and the order worker as `npm start`
 *        runs them (telemetry preloaded, logs at info), each a process of its
 *        own on free ports, on a database, bus prefix and Redis prefix of the
 *        benchmark's own. An event goes on sale as catalog would put it (its
 *        catalog.event.published.v1 on the bus): one ticket type, 5,000 tickets.
 *        20,000 buyers (bearer tokens minted here by a test issuer whose JWKS the
 *        gateway and order-service trust: identities, not password hashes), each
 *        from a client address of their own (X-Forwarded-For, which the gateway
 *        trusts from loopback: TRUSTED_PROXIES' default, as behind a load
 *        balancer), hold 1–4 tickets (uniformly at random), and when the hold is
 *        granted check out in direct mode with a test card after a think time of
 *        5–20 s (naming each attendee and typing a card takes a person at least
 *        that; --think-seconds 0 checks out at once, the worst case for the
 *        sell-out, since every checkout then competes with the holds for the
 *        same two cores); at most 200 requests in flight (lanes that do
 *        whichever checkout is due, else the next buyer's hold). The gateway keeps its
 *        real rate limits: the `holds` class (holds and checkouts), 120 per
 *        client address and 30 per user per 60 s, counted exactly in Redis.
 *        After the sell-out buyers keep coming (and are refused) for
 *        --tail-seconds, then no new one starts.
 *   (ceiling) the same number of lanes issuing, from Node with postgres.js, the
 *        single-row conditional UPDATE that sells one ticket
 *        (`update … set sold = sold + 1 where id = $1 and sold < capacity`) on a
 *        fresh table of this database until 5,000 are sold, over a pool the size
 *        of order-service's (DATABASE_POOL_MAX), and for reference a larger one.
 *        postgres.js pipelines up to 100 queries per connection, as it does in
 *        order-service: a small pool is a few backends with deep queues.
 * Prints the sell-out rate (tickets held per second, from the first request to
 * the hold answer that took the last ticket), holds/s, checkouts/s, p50/p99,
 * status counts, what the database says (oversold = held + sold − capacity,
 * tickets issued against sold, paid orders against checkouts) and the ratio
 * sell-out tickets/s ÷ ceiling updates/s (target ≥ 0.5); printed, never asserted.
 *
 * Then the stretch: the same buyers and concurrency spread over 8 ticket types
 * of 5,000 each (so that none runs out), measured over the first 5,000 tickets
 * held, as the hot run is: hot tickets/s ÷ spread tickets/s (target ≥ 0.9: the
 * hot row does not throttle), and the ceiling spread over 8 rows for reference.
 *
 * CPU time of every process (gateway, order-service, worker, the buyers,
 * Postgres, Redis, RabbitMQ) is read from /proc over the sell-out span; Postgres
 * is counted as this database's backends plus the WAL writer, background writer
 * and checkpointer (postgres-cpu.ts); Redis and RabbitMQ are the machine's shared
 * servers: their figures include whatever else uses them meanwhile (the load
 * average is printed first). pg_stat_activity is sampled every 50 ms over the
 * same span: what order-service's and the worker's connections were doing
 * (running, waiting for a row lock and on whom, waiting for the service).
 * Each process logs (JSON, info) to a file of its own, read for warnings at the
 * end; between runs the benchmark waits until mails are sent, the outbox is
 * relayed and no statement runs, so that a run's follow-up work does not weigh
 * on the next measurement.
 *
 * Flags: --buyers (20000), --tickets (5000), --concurrency (200), --max-quantity
 * (4), --ticket-types (8, the spread run), --no-spread, --rounds (1: each round a
 * hot and a spread run on fresh events with fresh buyers, with their ceilings),
 * --warmup (400 buyers on an event of their own first), --no-checkout (buyers
 * only hold: what the hold path alone sustains), --tail-seconds (10: no new
 * buyer starts once this long has passed since the sell-out — every later one
 * would be refused alike, and the refusal rate is measured over these; `all`
 * sends every buyer), --think-seconds (5-20: a buyer's time between hold and
 * checkout, evenly spread; 0: at once), --pool (DATABASE_POOL_MAX of order-service and the
 * worker; their default), --large-pool (32: the ceiling's reference row),
 * --seed (1).
 * To see where a process's time goes: BENCH_ORDERS_NODE_OPTIONS,
 * BENCH_WORKER_NODE_OPTIONS, BENCH_GATEWAY_NODE_OPTIONS (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`); BENCH_ORDERS_ENV (JSON) adds to order-service's
 * and the worker's environment.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { eventPublishedV1 } from '@twenny/contracts';
import { loadConfig } from '@twenny/config';
import { createTestDatabase, createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, publishOnBus, uniquePrefix, waitFor } from '@twenny/testing';
import { configSchema as gatewayConfigSchema } from '../gateway/src/config.ts';
import { configSchema as orderConfigSchema } from '../order-service/src/config.ts';
import type { Buyer, BuyersCommand, BuyersNotice, BuyersReport, Latencies } from './lib/onsale-buyers.ts';
import { startActivitySampler, type ActivityTally } from './lib/onsale-activity.ts';
import type { CeilingCommand, CeilingNotice, CeilingReport } from './lib/onsale-ceiling.ts';
import { postgresCpuBetween, postgresCpuByPid } from './lib/postgres-cpu.ts';
import { children, cpuSeconds, cpuSecondsOfAll, freePort, repoRoot, stopChildren, untilReady, type Started } from './lib/processes.ts';
import { createRandom } from './lib/random.ts';
import { row, f, median } from './lib/report.ts';

const { values: flags } = parseArgs({
  options: {
    buyers: { type: 'string', default: '20000' },
    tickets: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '200' },
    'max-quantity': { type: 'string', default: '4' },
    'ticket-types': { type: 'string', default: '8' },
    'no-spread': { type: 'boolean', default: false },
    'no-checkout': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '400' },
    pool: { type: 'string' },
    'large-pool': { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    'tail-seconds': { type: 'string', default: '10' },
    'think-seconds': { type: 'string', default: '5-20' },
  },
});
const buyerCount = Math.max(1, Number(flags.buyers));
const tickets = Math.max(1, Number(flags.tickets));
const concurrency = Math.max(1, Number(flags.concurrency));
const maxQuantity = Math.max(1, Math.min(10, Number(flags['max-quantity'])));
const spreadTypes = Math.max(2, Number(flags['ticket-types']));
const withSpread = !flags['no-spread'];
const holdOnly = flags['no-checkout'];
const rounds = Math.max(1, Number(flags.rounds));
const warmupBuyers = Math.max(0, Number(flags.warmup));
const largePool = Math.max(1, Number(flags['large-pool']));
const seed = Number(flags.seed);
// After the sell-out every buyer is refused alike; the platform refuses ~100/s here, so all 18,000 would add minutes.
const tailMs = flags['tail-seconds'] === 'all' ? undefined : Math.max(0, Number(flags['tail-seconds']) * 1000);
const thinkMs = ((): [number, number] => {
  const [low, high = low] = String(flags['think-seconds']).split('-').map((part) => Math.max(0, Number(part) * 1000));
  if (!Number.isFinite(low) || !Number.isFinite(high) || high! < low!) throw new Error(`--think-seconds: give seconds or a range like 5-20, not ${flags['think-seconds']}`);
  return [low!, high!];
})();
const targetRatio = 0.5;
const targetSpreadRatio = 0.9;
// How often pg_stat_activity is sampled during the sell-out span (what order-service's connections do).
const activityEveryMs = 50;

const thinkText = thinkMs[1] === 0 ? 'at once' : `after a think time of ${f(thinkMs[0] / 1000)}–${f(thinkMs[1] / 1000)} s (evenly spread)`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const progress = (text: string) => void (process.stderr.isTTY ? process.stderr.write(`\r${text}`.padEnd(100)) : undefined);
const clearProgress = () => void (process.stderr.isTTY && process.stderr.write(`\r${' '.repeat(100)}\r`));

const random = createRandom(seed);

const loadBefore = loadavg();
const benchStarted = performance.now();
const infra = await infrastructure();
const database = await createTestDatabase();
const admin = postgres(database.adminUrl, { max: 2, onnotice: () => {}, connection: { application_name: 'bench-onsale' } });
// The benchmark's own backends (its checks and the activity sampler) are left out of Postgres's CPU time.
const benchBackends = new Set(
  ((await Promise.all([0, 1].map(() => admin`select pg_backend_pid() as pid, pg_sleep(0.05)`))) as unknown as Array<[{ pid: number }]>).map(([r]) => r.pid),
);
const prefix = uniquePrefix();
const amqpPrefix = `${prefix}.`;
const issuer = await createTestIssuer();
const jwks = await issuer.serve();
const ports = { orders: await freePort(), worker: await freePort(), gateway: await freePort(), nowhere: await freePort() };
const urls = {
  orders: `http://127.0.0.1:${ports.orders}`,
  worker: `http://127.0.0.1:${ports.worker}`,
  gateway: `http://127.0.0.1:${ports.gateway}`,
  // The gateway's other upstreams: a port nothing listens on (no on-sale request goes there).
  nowhere: `http://127.0.0.1:${ports.nowhere}`,
};

const identity = { AUTH_JWKS_URL: jwks.url, AUTH_JWT_ISSUER: issuer.issuer, AUTH_JWT_AUDIENCE: issuer.audience };
const ordersEnv: Record<string, string> = {
  // As npm start runs them (NODE_ENV development: JSON logs at info all the same).
  LOG_LEVEL: 'info',
  DATABASE_URL: database.urlFor('order-service'),
  AMQP_URL: infra.amqpUrl,
  AMQP_PREFIX: amqpPrefix,
  REDIS_URL: infra.redisUrl,
  REDIS_PREFIX: `${prefix}-orders`,
  ...identity,
  ...(flags.pool && { DATABASE_POOL_MAX: flags.pool }),
  // e.g. BENCH_ORDERS_ENV='{"LOG_LEVEL":"warn"}' to see what one setting costs (order-service and worker).
  ...(JSON.parse(process.env.BENCH_ORDERS_ENV ?? '{}') as Record<string, string>),
};
/** e.g. BENCH_ORDERS_NODE_OPTIONS=--cpu-prof to see where a process's time goes (also BENCH_WORKER_…, BENCH_GATEWAY_…). */
const nodeOptions = (name: 'ORDERS' | 'WORKER' | 'GATEWAY'): Record<string, string> => {
  const value = process.env[`BENCH_${name}_NODE_OPTIONS`];
  return value ? { NODE_OPTIONS: value } : {};
};
const gatewayEnv: Record<string, string> = {
  PORT: String(ports.gateway),
  LOG_LEVEL: 'info',
  AUTH_SERVICE_URL: urls.nowhere,
  CATALOG_SERVICE_URL: urls.nowhere,
  ORDER_SERVICE_URL: urls.orders,
  MEDIA_SERVICE_URL: urls.nowhere,
  ...identity,
  REDIS_URL: infra.redisUrl,
  REDIS_PREFIX: `${prefix}-gateway`,
  ...nodeOptions('GATEWAY'),
  // Rate limits, TRUSTED_PROXIES and UPSTREAM_CONNECTIONS: the gateway's own defaults.
};
const orderPool = loadConfig(orderConfigSchema, ordersEnv).DATABASE_POOL_MAX;
const gatewayConfig = loadConfig(gatewayConfigSchema, gatewayEnv);

// Each process's log (JSON lines on stdout) goes to a file of its own, as a container's would go to
// its log driver: never through a pipe that this process must drain while it measures. Read at the end.
const logDir = mkdtempSync(join(tmpdir(), 'bench-onsale-'));

// Interrupted (Ctrl-C, a timeout): clean up all the same, then leave.
let cleaning: Promise<void> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench:onsale: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** A platform process as `npm start` / `npm run worker` runs it (telemetry preloaded), its stdout to a log file. */
function startLogged(name: string, cwd: string, script: string, env: Record<string, string>): Started & { log: string } {
  const log = join(logDir, `${name}.log`);
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, ['--import', '@twenny/telemetry/register', script], {
    cwd: `${repoRoot}/${cwd}`,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return { child, stderr, log };
}

/** Warnings and errors a process logged (pino levels 40 and up): how many, and the first few. */
function problemsIn(name: string, log: string): { count: number; first: string[] } {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return { count: 0, first: [] };
  }
  const lines = text.split('\n').filter((line) => /"level":(4|5|6)\d/.test(line));
  return { count: lines.length, first: lines.slice(0, 4).map((line) => `${name}: ${line.slice(0, 600)}`) };
}

/** How long each process said a request took ("request completed" log lines), by route and status, per run window. */
type Leg = 'hold 201' | 'hold 409' | 'checkout 201';
function latenciesFromLog(log: string, windows: Array<{ from: number; to: number }>): Array<Record<Leg, number[]>> {
  const result = windows.map(() => ({ 'hold 201': [] as number[], 'hold 409': [] as number[], 'checkout 201': [] as number[] }));
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return result;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"request completed"')) continue;
    let entry: { time?: string; method?: string; path?: string; status?: number; durationMs?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.method !== 'POST' || entry.durationMs === undefined || !entry.time || !entry.path) continue;
    const kind = entry.path === '/api/reservations' ? 'hold' : entry.path.endsWith('/checkout') ? 'checkout' : undefined;
    const leg = `${kind} ${entry.status}` as Leg;
    if (!kind || !(leg in result[0]!)) continue;
    const at = Date.parse(entry.time);
    const index = windows.findIndex((w) => at >= w.from && at <= w.to);
    if (index >= 0) result[index]![leg].push(entry.durationMs);
  }
  return result;
}

interface TicketTypePlan {
  ticketTypeId: string;
  capacity: number;
}

/** Puts an event on sale as catalog would (its message on the bus) and waits until order-service can sell it. */
async function publishEvent(label: string, capacities: number[]): Promise<{ eventId: string; ticketTypes: TicketTypePlan[] }> {
  const eventId = randomUUID();
  const ticketTypes = capacities.map((capacity) => ({ ticketTypeId: randomUUID(), capacity }));
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  await publishOnBus(infra.amqpUrl, amqpPrefix, {
    id: randomUUID(),
    type: eventPublishedV1.type,
    source: 'catalog-service',
    time: new Date().toISOString(),
    subject: eventId,
    version: 1,
    data: eventPublishedV1.data.parse({
      eventId,
      organizationId: randomUUID(),
      slug: `bench-onsale-${label}-${eventId.slice(0, 8)}`,
      title: `On-sale benchmark (${label})`,
      status: 'published',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 4 * 3_600_000).toISOString(),
      timeZone: 'Europe/Amsterdam',
      currency: 'EUR',
      refundableUntilHours: 48,
      ticketTypes: ticketTypes.map(({ ticketTypeId, capacity }, i) => ({ ticketTypeId, name: `Tier ${i + 1}`, priceMinor: 3500 + 500 * i, capacity, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false })),
    }),
  });
  await waitFor(
    `the ${label} event to reach orders.inventory`,
    async () => {
      const [{ n }] = (await admin`select count(*)::int as n from orders.inventory where event_id = ${eventId}`) as unknown as [{ n: number }];
      return n === ticketTypes.length;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  return { eventId, ticketTypes };
}

// Buyers: a token each (as auth-service would issue it, valid for the whole run) and an address each.
let buyerSerial = 0;
async function mintBuyers(count: number, ticketTypes: TicketTypePlan[]): Promise<Buyer[]> {
  const buyers: Buyer[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++buyerSerial;
    const token = await issuer.sign({ sub: `bench-buyer-${prefix}-${n}`, email: `buyer-${n}@example.test`, role: 'user', orgs: [] }, { expiresIn: '2h' });
    const ticketTypeId = ticketTypes[ticketTypes.length === 1 ? 0 : random.int(0, ticketTypes.length - 1)]!.ticketTypeId;
    buyers.push({ token, address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, ticketTypeId, quantity: random.int(1, maxQuantity) });
  }
  return buyers;
}

type CpuName = 'gateway' | 'order-service' | 'order worker' | 'buyers' | 'postgres' | 'redis' | 'rabbitmq';
type Cpu = Record<CpuName, number | undefined>;
/** A reading of CPU time so far: per process, and per Postgres process of this database (postgres-cpu.ts). */
type CpuReading = { processes: Cpu; postgres: Map<number, number> };
const cpuNames: CpuName[] = ['gateway', 'order-service', 'order worker', 'buyers', 'postgres', 'redis', 'rabbitmq'];
const cpuDelta = (before: CpuReading, after: CpuReading): Cpu => {
  const delta = Object.fromEntries(
    cpuNames.map((name) => [name, before.processes[name] === undefined || after.processes[name] === undefined ? undefined : after.processes[name]! - before.processes[name]!]),
  ) as Cpu;
  delta.postgres = postgresCpuBetween(before.postgres, after.postgres);
  return delta;
};
/** What the whole run used after the sell-out. */
const cpuMinus = (whole: Cpu, part: Cpu): Cpu =>
  Object.fromEntries(cpuNames.map((name) => [name, whole[name] === undefined || part[name] === undefined ? undefined : whole[name]! - part[name]!])) as Cpu;

interface OnSaleRun {
  shape: 'hot' | 'spread';
  round: number;
  eventId: string;
  ticketTypes: TicketTypePlan[];
  /** Buyers minted for the run (not all start: see --tail-seconds, and the spread run stops at its target). */
  buyers: number;
  report: BuyersReport;
  /** CPU seconds over the sell-out span (first request → last ticket held) and over the whole run. */
  cpuSellOut: Cpu;
  cpuWhole: Cpu;
  /** What order-service's and the worker's database connections did over the sell-out span. */
  activity: ActivityTally;
  /** Resident memory (MB) of the platform's processes at the end of the run: something that grows from run to run shows here. */
  memory: Record<'gateway' | 'order-service' | 'order worker', number | undefined>;
  /** Wall clock (epoch ms) of the run: the log lines of requests that ended within it are its own. */
  window: { from: number; to: number };
  database: DatabaseCheck;
}

interface CeilingRun {
  shape: 'hot' | 'spread';
  round: number;
  pool: number;
  report: CeilingReport;
  cpu: { ceiling: number | undefined; postgres: number | undefined };
}

interface DatabaseCheck {
  capacity: number;
  held: number;
  sold: number;
  /** Σ max(0, held + sold − capacity) over the event's ticket types. */
  oversold: number;
  ticketsValid: number;
  paidOrders: number;
  reservations: Record<string, number>;
  orders: Record<string, number>;
  problems: string[];
}

async function checkDatabase(eventId: string, report: BuyersReport, fullySold: boolean): Promise<DatabaseCheck> {
  const types = (await admin`
    select i.ticket_type_id, i.capacity, i.held, i.sold, greatest(0, i.held + i.sold - i.capacity)::int as oversold,
      (select count(*)::int from orders.tickets t where t.ticket_type_id = i.ticket_type_id and t.status = 'valid') as tickets
    from orders.inventory i where i.event_id = ${eventId}`) as unknown as Array<{ capacity: number; held: number; sold: number; oversold: number; tickets: number }>;
  const byStatus = async (table: 'reservations' | 'orders') =>
    Object.fromEntries(
      ((await (table === 'reservations'
        ? admin`select status, count(*)::int as n from orders.reservations where event_id = ${eventId} group by status order by status`
        : admin`select status, count(*)::int as n from orders.orders where event_id = ${eventId} group by status order by status`)) as unknown as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]),
    );
  const sum = (pick: (t: (typeof types)[number]) => number) => types.reduce((total, t) => total + pick(t), 0);
  const check: DatabaseCheck = {
    capacity: sum((t) => t.capacity),
    held: sum((t) => t.held),
    sold: sum((t) => t.sold),
    oversold: sum((t) => t.oversold),
    ticketsValid: sum((t) => t.tickets),
    paidOrders: 0,
    reservations: await byStatus('reservations'),
    orders: await byStatus('orders'),
    problems: [],
  };
  check.paidOrders = check.orders.paid ?? 0;
  const problems = check.problems;
  if (check.oversold > 0) problems.push(`OVERSOLD by ${check.oversold}`);
  for (const t of types) if (t.tickets !== t.sold) problems.push(`a ticket type has ${t.tickets} valid tickets for ${t.sold} sold`);
  if (check.held + check.sold !== report.ticketsHeld) problems.push(`held + sold = ${check.held + check.sold}, but buyers were granted ${report.ticketsHeld}`);
  if (check.sold !== report.ticketsCheckedOut) problems.push(`sold = ${check.sold}, but buyers checked out ${report.ticketsCheckedOut}`);
  if (check.paidOrders !== report.checkouts) problems.push(`${check.paidOrders} paid orders for ${report.checkouts} checkouts`);
  if (fullySold && check.held + check.sold !== check.capacity) problems.push(`not sold out: held + sold = ${check.held + check.sold} of ${check.capacity}`);
  return check;
}

/** Waits until the platform has finished what the last run set going (mails, outbox, queries), so that it does not weigh on the next measurement. */
async function quiesce(): Promise<string | undefined> {
  const deadline = performance.now() + 180_000;
  for (let quiet = 0; quiet < 3; ) {
    const [{ pending, unsent, active }] = (await admin`
      select (select count(*)::int from orders.mails where status = 'pending') as pending,
        (select count(*)::int from orders.outbox where published_at is null) as unsent,
        (select count(*)::int from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()) as active`) as unknown as [{ pending: number; unsent: number; active: number }];
    quiet = pending === 0 && unsent === 0 && active === 0 ? quiet + 1 : 0;
    if (performance.now() > deadline) return `still busy after 180 s: ${pending} mails pending, ${unsent} outbox rows unsent, ${active} active queries`;
    progress(`settling: ${pending} mails pending, ${unsent} outbox rows unsent, ${active} active queries`);
    await sleep(100);
  }
  return undefined;
}

const problemsSeen: string[] = [];
let buyersChild: ChildProcess | undefined;
let ceilingChild: ChildProcess | undefined;
let gatewayStarted: (Started & { log: string }) | undefined;
let ordersStarted: (Started & { log: string }) | undefined;
let workerStarted: (Started & { log: string }) | undefined;

/** VmRSS of a process, from /proc, in MB. */
function rssMegabytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function sampleCpu(): CpuReading {
  const processes: Cpu = {
    gateway: cpuSeconds(gatewayStarted?.child.pid),
    'order-service': cpuSeconds(ordersStarted?.child.pid),
    'order worker': cpuSeconds(workerStarted?.child.pid),
    buyers: cpuSeconds(buyersChild?.pid),
    postgres: undefined,
    redis: cpuSecondsOfAll('redis-server'),
    rabbitmq: cpuSecondsOfAll('beam.smp'),
  };
  return { processes, postgres: postgresCpuByPid(database.name, benchBackends) };
}

/**
 * Runs the buyers on an event; samples CPU when they start, at the sell-out and
 * at the end, and what order-service's and the worker's connections do in between.
 */
function runBuyers(command: BuyersCommand): Promise<{ report: BuyersReport; cpuSellOut: Cpu; cpuWhole: Cpu; activity: ActivityTally; memory: OnSaleRun['memory'] }> {
  return new Promise((resolve, reject) => {
    const child = buyersChild!;
    let started: CpuReading | undefined;
    let soldOut: CpuReading | undefined;
    let sampler: ReturnType<typeof startActivitySampler> | undefined;
    let activity: Promise<ActivityTally> | undefined;
    const onExit = (code: number | null) => reject(new Error(`the buyers' process exited with ${code}`));
    const onMessage = (message: BuyersNotice | BuyersReport) => {
      if (message.kind === 'started') {
        started = sampleCpu();
        sampler = startActivitySampler(admin, ['order-service', 'order-worker'], activityEveryMs);
      } else if (message.kind === 'sold-out') {
        soldOut = sampleCpu();
        activity = sampler!.stop();
      } else {
        const end = sampleCpu();
        child.off('message', onMessage);
        child.off('exit', onExit);
        const memory = { gateway: rssMegabytes(gatewayStarted?.child.pid), 'order-service': rssMegabytes(ordersStarted?.child.pid), 'order worker': rssMegabytes(workerStarted?.child.pid) };
        (activity ?? sampler!.stop()).then((tally) => resolve({ report: message, cpuSellOut: cpuDelta(started!, soldOut ?? end), cpuWhole: cpuDelta(started!, end), activity: tally, memory }), reject);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(command);
  });
}

function runCeiling(command: CeilingCommand): Promise<{ report: CeilingReport; cpu: CeilingRun['cpu'] }> {
  return new Promise((resolve, reject) => {
    const child = ceilingChild!;
    const sample = () => ({ ceiling: cpuSeconds(child.pid), postgres: postgresCpuByPid(database.name, benchBackends) });
    let before = sample();
    let reached: ReturnType<typeof sample> | undefined;
    const onExit = (code: number | null) => reject(new Error(`the ceiling's process exited with ${code}`));
    const onMessage = (message: CeilingNotice | CeilingReport) => {
      if (message.kind === 'started') before = sample();
      else if (message.kind === 'reached') reached = sample();
      else {
        const end = reached ?? sample();
        child.off('message', onMessage);
        child.off('exit', onExit);
        const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : b - a);
        resolve({ report: message, cpu: { ceiling: delta(before.ceiling, end.ceiling), postgres: postgresCpuBetween(before.postgres, end.postgres) } });
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(command);
  });
}

const onSaleRuns: OnSaleRun[] = [];
const ceilingRuns: CeilingRun[] = [];
let warmup: BuyersReport | undefined;
const settleNotes: string[] = [];

try {
  const orders = startLogged('order-service', 'order-service', 'src/main.ts', { ...ordersEnv, PORT: String(ports.orders), ...nodeOptions('ORDERS') });
  const worker = startLogged('order-worker', 'order-service', 'src/worker.ts', { ...ordersEnv, PORT: String(ports.orders), WORKER_PORT: String(ports.worker), ...nodeOptions('WORKER') });
  const gateway = startLogged('gateway', 'gateway', 'src/main.ts', gatewayEnv);
  [ordersStarted, workerStarted, gatewayStarted] = [orders, worker, gateway];
  buyersChild = fork(fileURLToPath(new URL('./lib/onsale-buyers.ts', import.meta.url)));
  ceilingChild = fork(fileURLToPath(new URL('./lib/onsale-ceiling.ts', import.meta.url)));
  children.push(buyersChild, ceilingChild);
  try {
    await untilReady('order-service', `${urls.orders}/health/ready`, ordersStarted);
    await untilReady('the order worker', `${urls.worker}/health/ready`, workerStarted);
    await untilReady('the gateway', `${urls.gateway}/health/ready`, gatewayStarted);
  } catch (error) {
    console.error(`bench:onsale: a process did not start, so nothing can be measured: ${(error as Error).message}`);
    console.error([...ordersStarted.stderr.slice(-10), ...workerStarted.stderr.slice(-10), ...gatewayStarted.stderr.slice(-10)].join('\n'));
    process.exitCode = 1;
    throw error;
  }

  // Warm-up: the whole path (hold, checkout, sold-out refusals) on an event of its own, so that nothing is cold when measured.
  if (warmupBuyers > 0) {
    progress(`warm-up: ${f(warmupBuyers)} buyers`);
    const event = await publishEvent('warm-up', [Math.ceil((warmupBuyers * (1 + maxQuantity)) / 2 / 2)]);
    const buyers = await mintBuyers(warmupBuyers, event.ticketTypes);
    warmup = (await runBuyers({ gatewayUrl: urls.gateway, eventId: event.eventId, buyers, concurrency, targetTickets: event.ticketTypes[0]!.capacity, stopAtTarget: false })).report;
    await runCeiling({ url: database.adminUrl, pool: orderPool, concurrency, rows: 1, capacityPerRow: 500, target: 500 });
    const note = await quiesce();
    if (note) settleNotes.push(`warm-up: ${note}`);
  }

  for (let round = 1; round <= rounds; round++) {
    // Each round in a turned order: drift on this shared machine falls on both shapes alike.
    const shapes: Array<'hot' | 'spread'> = !withSpread ? ['hot'] : round % 2 === 1 ? ['hot', 'spread'] : ['spread', 'hot'];
    for (const shape of shapes) {
      const label = `${shape}${rounds > 1 ? ` (round ${round})` : ''}`;
      const capacities = shape === 'hot' ? [tickets] : Array.from({ length: spreadTypes }, () => tickets);
      const event = await publishEvent(label, capacities);
      progress(`${label}: minting buyer tokens`);
      // The spread run stops at `tickets` held: it needs at most that many buyers (all taking one), plus those in flight.
      const buyers = await mintBuyers(shape === 'hot' ? buyerCount : Math.min(buyerCount, tickets + concurrency), event.ticketTypes);
      progress(`${label}: ${f(buyers.length)} buyers, ${concurrency} in flight`);
      const from = Date.now();
      const measured = await runBuyers({ gatewayUrl: urls.gateway, eventId: event.eventId, buyers, concurrency, targetTickets: tickets, stopAtTarget: shape === 'spread', holdOnly, thinkMs, ...(tailMs !== undefined && { tailMs }) });
      const window = { from, to: Date.now() };
      const note = await quiesce();
      if (note) settleNotes.push(`${label}: ${note}`);
      onSaleRuns.push({ shape, round, eventId: event.eventId, ticketTypes: event.ticketTypes, buyers: buyers.length, window, ...measured, database: await checkDatabase(event.eventId, measured.report, shape === 'hot') });
      for (const pool of [orderPool, largePool]) {
        progress(`${label}: ceiling, pool ${pool}`);
        const rows = shape === 'hot' ? 1 : spreadTypes;
        const ceiling = await runCeiling({ url: database.adminUrl, pool, concurrency, rows, capacityPerRow: tickets, target: tickets });
        ceilingRuns.push({ shape, round, pool, ...ceiling });
        await sleep(500);
      }
    }
  }
  clearProgress();
  // The platform's work is done: stopped now, each process writes out the log lines it still buffers.
  await stopChildren();
  for (const [name, started] of [['gateway', gateway], ['order-service', orders], ['order-worker', worker]] as const) {
    const found = problemsIn(name, started.log);
    if (found.count > 0) problemsSeen.push(`${name}: ${f(found.count)} lines at warn or above`, ...found.first);
  }

  // ------------------------------------------------------------------------
  // Report

  const rate = (r: OnSaleRun) => ({
    tickets: r.report.soldOutAtMs ? r.report.ticketsAtSoldOut / (r.report.soldOutAtMs / 1000) : NaN,
    holds: r.report.soldOutAtMs ? r.report.holdsAtSoldOut / (r.report.soldOutAtMs / 1000) : NaN,
    checkouts: r.report.lastCheckoutAtMs ? r.report.checkouts / ((r.report.lastCheckoutAtMs - r.report.firstCheckoutAtMs) / 1000) : NaN,
  });
  const ceilingRate = (c: CeilingRun) => c.report.updates / (c.report.elapsedMs / 1000);
  const ms = (l: Latencies) => (l.count === 0 ? 'n/a' : `${f(l.p50, 1)} / ${f(l.p99, 1)}`);
  const runLabel = (r: { shape: string; round: number }) => `${r.shape === 'hot' ? 'hot: 1 ticket type' : `spread: ${spreadTypes} ticket types`}${rounds > 1 ? `, round ${r.round}` : ''}`;
  const statusText = (s: Record<string, number>) => Object.entries(s).map(([code, n]) => `${code}: ${f(n)}`).join(', ') || '—';

  console.log(`\non-sale benchmark — ${new Date().toISOString()} — node ${process.version}; load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(' ')} on this machine`);
  console.log(`gateway → order-service (+ order worker), each a process as npm start runs it (telemetry preloaded, info logs); order-service and worker DATABASE_POOL_MAX ${orderPool}; gateway UPSTREAM_CONNECTIONS ${gatewayConfig.UPSTREAM_CONNECTIONS}`);
  console.log(`buyers: ${f(buyerCount)} distinct identities per hot run (bearer tokens minted by the benchmark's own issuer, trusted through its JWKS), each from a client address of its own (X-Forwarded-For; gateway TRUSTED_PROXIES=${JSON.stringify(gatewayConfig.TRUSTED_PROXIES)}), each holding 1–${maxQuantity} tickets (uniform) and ${holdOnly ? 'NOT checking out (--no-checkout: the hold path alone)' : `checking out in direct mode (test card) when granted, ${thinkText}`}; ${concurrency} lanes, so at most ${concurrency} requests in flight`);
  console.log(`rate limits as in production (the gateway's defaults): the holds class (POST /api/reservations and …/checkout) ${gatewayConfig.RATE_LIMIT_HOLDS_PER_ADDRESS} per address and ${gatewayConfig.RATE_LIMIT_HOLDS_PER_USER} per user per ${gatewayConfig.RATE_LIMIT_WINDOW_SECONDS} s, counted exactly in Redis on every request; a buyer sends 2 such requests, so none should be refused (429s are counted below)`);
  console.log(`hot: one ticket type of ${f(tickets)}; after the sell-out ${tailMs === undefined ? 'every remaining buyer still comes and is refused' : `buyers keep coming for ${f(tailMs / 1000)} s (refused; the refusal rate is measured over them), then no new one starts (--tail-seconds all: every buyer)`}. spread: ${spreadTypes} ticket types of ${f(tickets)} each, each buyer picks one at random; measured until ${f(tickets)} tickets are held in all, then no new buyer starts`);
  if (warmup) console.log(`warm-up first: ${f(warmup.buyersStarted)} buyers on an event of their own (${f(warmup.holdsGranted)} holds, ${f(warmup.checkouts)} checkouts)`);
  console.log(`sell-out rate = tickets held ÷ time from the first request to the hold answer that took the ${f(tickets)}th ticket; holds/s likewise; checkouts/s = checkouts ÷ time from the first checkout sent to the last checkout's answer\n`);

  console.log(row(['run', 'sold out after s', 'sell-out tickets/s', 'holds/s', 'checkouts/s', 'hold p50 / p99 ms', 'checkout p50 / p99 ms', 'refused hold p50 / p99 ms', 'refusals/s after sell-out']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const r of onSaleRuns) {
    const x = rate(r);
    const refusalsPerSecond = r.report.refusalSpanMs > 0 ? r.report.refusalsAfterSoldOut / (r.report.refusalSpanMs / 1000) : NaN;
    console.log(row([runLabel(r), r.report.soldOutAtMs === null ? 'not sold out' : f(r.report.soldOutAtMs / 1000, 2), f(x.tickets), f(x.holds), f(x.checkouts), ms(r.report.latency.holdGranted), ms(r.report.latency.checkout), ms(r.report.latency.holdRefused), r.shape === 'hot' ? f(refusalsPerSecond) : '—']));
  }
  console.log('');
  console.log(row(['run', 'buyers who came (of those minted)', 'holds granted', 'tickets held', 'checkouts', 'hold statuses', '409 types', 'checkout statuses (retries included)', 'checkout retries', '5xx']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---', '---', '---', '---:', '---:']));
  for (const r of onSaleRuns) {
    const fiveHundreds = [...Object.entries(r.report.statuses.hold), ...Object.entries(r.report.statuses.checkout)].filter(([code]) => code.startsWith('5') || code === 'error').reduce((n, [, c]) => n + c, 0);
    console.log(row([runLabel(r), `${f(r.report.buyersStarted)} of ${f(r.buyers)}`, f(r.report.holdsGranted), f(r.report.ticketsHeld), f(r.report.checkouts), statusText(r.report.statuses.hold), statusText(r.report.refusalTypes), statusText(r.report.statuses.checkout), f(r.report.checkoutRetries), f(fiveHundreds)]));
  }

  // Where a request's time goes: the buyer's clock, the gateway's (its handler, upstream wait included), order-service's own.
  const windows = onSaleRuns.map((r) => r.window);
  const byGateway = latenciesFromLog(gatewayStarted!.log, windows);
  const byOrders = latenciesFromLog(ordersStarted!.log, windows);
  const quantiles = (values: number[]): Latencies => {
    if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
    const sorted = Float64Array.from(values).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
  };
  console.log(`\nwhere a request's time goes, p50 / p99 ms: as the buyer saw it, as the gateway logged it (its whole handling, waiting for an upstream connection included), as order-service logged it:\n`);
  console.log(row(['run', 'request', 'buyer', 'gateway', 'order-service', 'requests (order-service)']));
  console.log(row(['---', '---', '---:', '---:', '---:', '---:']));
  onSaleRuns.forEach((r, i) => {
    const client: Record<Leg, Latencies> = { 'hold 201': r.report.latency.holdGranted, 'hold 409': r.report.latency.holdRefused, 'checkout 201': r.report.latency.checkout };
    for (const leg of ['hold 201', 'hold 409', 'checkout 201'] as const) {
      if (client[leg].count === 0) continue;
      const orders = quantiles(byOrders[i]![leg]);
      console.log(row([runLabel(r), leg, ms(client[leg]), ms(quantiles(byGateway[i]![leg])), ms(orders), f(orders.count)]));
    }
  });

  console.log(`\nwhat the database says, after each run settled (oversold = Σ max(0, held + sold − capacity) per ticket type; tickets = orders.tickets with status 'valid'):\n`);
  console.log(row(['run', 'capacity', 'held', 'sold', 'oversold', 'tickets issued', 'paid orders', 'reservations', 'consistent with what buyers were told']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---']));
  for (const r of onSaleRuns) {
    const d = r.database;
    console.log(row([runLabel(r), f(d.capacity), f(d.held), f(d.sold), f(d.oversold), f(d.ticketsValid), f(d.paidOrders), statusText(d.reservations), d.problems.length === 0 ? 'yes' : `NO: ${d.problems.join('; ')}`]));
  }

  console.log(`\nceiling: ${concurrency} lanes issuing \`update bench_onsale.counter set sold = sold + 1 where id = $1 and sold < capacity\` from Node (postgres.js, in a process of its own) until ${f(tickets)} are sold; one ticket per update; hot: one row, spread: ${spreadTypes} rows, each update on one at random:\n`);
  console.log(row(['shape', 'pool', 'updates', 's', 'updates/s', 'p50 / p99 ms (with queueing)', 'ceiling process CPU µs/update', 'Postgres CPU µs/update']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const c of ceilingRuns) {
    const per = (s: number | undefined) => (s === undefined ? 'n/a' : f((s * 1e6) / c.report.updates));
    console.log(row([`${runLabel(c)}${c.pool === orderPool ? ' (pool as order-service)' : ''}`, c.pool, f(c.report.updates), f(c.report.elapsedMs / 1000, 2), f(ceilingRate(c)), ms(c.report.latency), per(c.cpu.ceiling), per(c.cpu.postgres)]));
  }

  // Ratios, per round; the headline is the median over rounds.
  const ceilingOf = (shape: 'hot' | 'spread', round: number, pool: number) => ceilingRuns.find((c) => c.shape === shape && c.round === round && c.pool === pool)!;
  const hot = onSaleRuns.filter((r) => r.shape === 'hot');
  const spread = onSaleRuns.filter((r) => r.shape === 'spread');
  const ratios = hot.map((r) => rate(r).tickets / ceilingRate(ceilingOf('hot', r.round, orderPool)));
  const holdRatios = hot.map((r) => rate(r).holds / ceilingRate(ceilingOf('hot', r.round, orderPool)));
  const largeRatios = hot.map((r) => rate(r).tickets / ceilingRate(ceilingOf('hot', r.round, largePool)));
  const byRound = (values: number[]) => (values.length > 1 ? `; by round: ${values.map((v) => v.toFixed(2)).join(', ')}` : '');
  const ratio = median(ratios);
  console.log(`\nratio sell-out tickets/s ÷ ceiling updates/s (hot, pool ${orderPool} as order-service's): ${ratio.toFixed(2)} (target ≥ ${targetRatio.toFixed(2)}: ${ratio >= targetRatio ? 'met' : 'not met'})${byRound(ratios)}`);
  console.log(`  the same against the pool of ${largePool}: ${median(largeRatios).toFixed(2)}; holds/s ÷ updates/s (statements against statements: a hold takes 1–${maxQuantity} tickets in one UPDATE): ${median(holdRatios).toFixed(2)}`);
  if (spread.length > 0) {
    const spreadRatios = hot.map((r) => rate(r).tickets / rate(spread.find((s) => s.round === r.round)!).tickets);
    const ceilingSpread = hot.map((r) => ceilingRate(ceilingOf('hot', r.round, orderPool)) / ceilingRate(ceilingOf('spread', r.round, orderPool)));
    const spreadRatio = median(spreadRatios);
    console.log(`stretch: hot tickets/s ÷ spread (${spreadTypes} ticket types) tickets/s: ${spreadRatio.toFixed(2)} (target ≥ ${targetSpreadRatio.toFixed(2)}: ${spreadRatio >= targetSpreadRatio ? 'met' : 'not met'})${byRound(spreadRatios)}`);
    console.log(`  for reference, the ceiling's hot ÷ spread (pool ${orderPool}): ${median(ceilingSpread).toFixed(2)}`);
  }

  console.log(`\nCPU over the sell-out span (first request → last ticket held), from /proc; Postgres, Redis and RabbitMQ are shared servers (anything else using them counts too):\n`);
  console.log(row(['process', ...onSaleRuns.flatMap((r) => [`${runLabel(r)}: CPU s`, 'cores', 'µs / ticket'])]));
  console.log(row(['---', ...onSaleRuns.flatMap(() => ['---:', '---:', '---:'])]));
  for (const name of [...cpuNames, 'all' as const]) {
    const cells = onSaleRuns.flatMap((r) => {
      const seconds = name === 'all' ? cpuNames.reduce((total, n) => total + (r.cpuSellOut[n] ?? 0), 0) : r.cpuSellOut[name];
      const span = (r.report.soldOutAtMs ?? r.report.durationMs) / 1000;
      return seconds === undefined ? ['n/a', 'n/a', 'n/a'] : [f(seconds, 2), f(seconds / span, 2), f((seconds * 1e6) / r.report.ticketsAtSoldOut)];
    });
    console.log(row([name, ...cells]));
  }
  console.log(`\nresident memory at the end of each run (MB): ${onSaleRuns.map((r) => `${runLabel(r)}: ${(['gateway', 'order-service', 'order worker'] as const).map((n) => `${n} ${r.memory[n] === undefined ? 'n/a' : f(r.memory[n]!)}`).join(', ')}`).join('; ')}`);
  for (const r of hot) {
    const tail = cpuMinus(r.cpuWhole, r.cpuSellOut);
    const refusals = r.report.refusalsAfterSoldOut;
    if (refusals > 0) {
      const per = (n: CpuName) => `${n} ${tail[n] === undefined ? 'n/a' : f((tail[n]! * 1e6) / refusals)}`;
      console.log(`\n${runLabel(r)}, after the sell-out (${f(refusals)} refused holds): CPU µs per refused hold — ${(['gateway', 'order-service', 'postgres', 'redis', 'buyers'] as const).map(per).join(', ')}; meanwhile the worker was still sending the sell-out's mails: ${per('order worker')}`);
    }
  }

  for (const r of onSaleRuns) {
    const a = r.activity;
    if (a.samples === 0) continue;
    console.log(`\n${runLabel(r)}: what order-service's and the worker's database connections did over the sell-out span (pg_stat_activity every ${activityEveryMs} ms, ${f(a.samples)} samples; connections on average at each sample):\n`);
    const share = (n: number) => f(n / a.samples, 2);
    for (const application of Object.keys(a.connections).sort()) {
      const mine = a.rows.filter((x) => x.application === application);
      const sum = (pick: (x: (typeof mine)[number]) => boolean) => mine.filter(pick).reduce((n, x) => n + x.samples, 0);
      const lock = sum((x) => x.wait.startsWith('Lock'));
      const waitingForService = sum((x) => x.state.startsWith('idle in transaction') || (x.state === 'active' && x.wait.startsWith('Client')));
      const idle = sum((x) => x.state === 'idle');
      const running = a.connections[application]! - lock - waitingForService - idle;
      console.log(`- ${application}: ${share(a.connections[application]!)} open: ${share(running)} executing in Postgres, ${share(lock)} waiting for a lock, ${share(waitingForService)} waiting for the service's next message inside a statement or transaction (active/ClientRead, idle in transaction), ${share(idle)} idle in the pool`);
    }
    console.log('');
    console.log(row(['connection of', 'state', 'waits for', 'statement', 'lock held by (its state | statement)', 'connections on average']));
    console.log(row(['---', '---', '---', '---', '---', '---:']));
    const code = (text: string) => (text ? `\`${text.replaceAll('|', '\\|')}\`` : '—');
    for (const x of a.rows.filter((x) => x.samples / a.samples >= 0.05).slice(0, 12)) {
      console.log(row([x.application, x.state, x.wait || '—', code(x.statement), code(x.blocker), share(x.samples)]));
    }
    // Every lock wait, whatever its share: who waits for whom.
    const waits = new Map<string, { statement: string; blocker: string; samples: number }>();
    for (const x of a.rows.filter((x) => x.wait.startsWith('Lock'))) {
      const key = `${x.statement}\0${x.blocker}`;
      const entry = waits.get(key) ?? { statement: x.statement, blocker: x.blocker, samples: 0 };
      entry.samples += x.samples;
      waits.set(key, entry);
    }
    if (waits.size > 0) {
      console.log(`\nlock waits (connections on average waiting, by statement and by what the holder of the lock was doing):\n`);
      console.log(row(['waiting statement', 'lock held by (its state | statement)', 'connections on average']));
      console.log(row(['---', '---', '---:']));
      for (const w of [...waits.values()].sort((x, y) => y.samples - x.samples).slice(0, 8)) console.log(row([code(w.statement), code(w.blocker), share(w.samples)]));
    }
  }

  for (const r of onSaleRuns) if (r.report.samples.length) console.log(`\n${runLabel(r)}: unexpected answers (first few):\n${r.report.samples.map((s) => `  ${s}`).join('\n')}`);
  console.log(`\nthe whole benchmark took ${f((performance.now() - benchStarted) / 1000)} s (setup, warm-up, runs, waiting for each run's mails and messages, ceilings); load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (settleNotes.length) console.log(`\nnot settled between runs: ${settleNotes.join('; ')}`);
  if (problemsSeen.length) console.log(`\nwarnings and errors logged by the processes (first few of each):\n${problemsSeen.map((l) => `  ${l}`).join('\n')}`);
} finally {
  await cleanUp();
}

/** Everything this run made, gone: processes, the database, bus objects, Redis keys, logs. Once, whoever asks first. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    clearProgress();
    await stopChildren();
    await jwks.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    // order-service declared the whole topology (every subscriber's queues) under this prefix.
    await deleteTestTopology(infra.amqpUrl, amqpPrefix).catch(() => undefined);
    // Every process's keys: `${prefix}-orders…` (BullMQ) and `${prefix}-gateway…` (rate limits).
    await deleteRedisKeys(infra.redisUrl, `${prefix}-`).catch(() => undefined);
    await database.drop().catch((error: unknown) => console.error(`could not drop ${database.name}: ${(error as Error).message}`));
    rmSync(logDir, { recursive: true, force: true });
  })();
  return cleaning;
}
