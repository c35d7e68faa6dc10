/**
 * npm run bench:expiry — how late holds are released after their `expiresAt`
 * when many expire close together, against raw BullMQ in the same run:
 *   (ours) order-service and its worker as `npm start` runs them, each a process
 *        of its own (telemetry preloaded, logs at info), on a database, bus prefix
 *        and Redis prefix of the benchmark's own. An event goes on sale as catalog
 *        would put it (its message on the bus); many buyers (tokens minted here by
 *        a test issuer the service trusts) hold 1–4 tickets each over a few ticket
 *        types, as fast as N connections allow, all for the same few seconds, so
 *        the holds fall due as fast as they were made, many while buyers are still
 *        holding. Each hold's BullMQ timer runs the expiry in the worker. Lag per
 *        hold = ended_at − expires_at, both from orders.reservations (the
 *        database's clock); also when its timer job completed (after the commit).
 *   (raw) a bare BullMQ Worker in a process of its own, the same concurrency,
 *        doing nothing, on the same Redis: as many delayed jobs, each added at the
 *        same moment (relative to the first) as its hold's timer was and due at the
 *        same moment as its hold's expiresAt, with the timers' job options.
 *        Lateness = completed − due.
 * Completions come from BullMQ's events (QueueEvents), read as they happen.
 * Prints p50/p90/p99/max of both (ours also split: due while buyers were still
 * holding, due after), the ratio ours/raw, who released each hold (its timer,
 * the sweeper, anything else), that every hold ended up expired, CPU per hold,
 * what the order processes' database connections waited on (sampled from
 * pg_stat_activity), how many updates of the inventory rows were HOT, and a
 * verdict against the target (p99 lag ≤ 1 s); printed, never asserted.
 *
 * Flags: --holds (3000), --buyers ((holds + warm-up) / 2: two holds each, within
 * the default limit of 10 tickets per buyer), --connections (32 buyers at once),
 * --hold-seconds (5), --ticket-types (4), --warmup (100 holds first, expired
 * before measuring), --concurrency (WORKER_CONCURRENCY; the worker's default),
 * --pool (DATABASE_POOL_MAX of both processes; their default), --sweep-ms
 * (ORDER_SWEEP_EVERY_MS; the worker's default), --seed (1).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { eventPublishedV1 } from '@twenny/contracts';
import { loadConfig } from '@twenny/config';
import { connectDatabase } from '@twenny/db';
import { createTestDatabase, createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, publishOnBus, uniquePrefix, waitFor } from '@twenny/testing';
import { workerConfigSchema } from '../order-service/src/config.ts';
import { expiryJobId } from '../order-service/src/jobs/hold-timers.ts';
import { orderQueueName } from '../order-service/src/jobs/job-types.ts';
import { children, cpuSeconds, freePort, repoRoot, startPlatformProcess, stopChildren, untilReady, type Started } from './lib/processes.ts';
import { createRandom } from './lib/random.ts';
import { row, f } from './lib/report.ts';

const { values: flags } = parseArgs({
  options: {
    holds: { type: 'string', default: '3000' },
    buyers: { type: 'string' },
    connections: { type: 'string', default: '32' },
    'hold-seconds': { type: 'string', default: '5' },
    'ticket-types': { type: 'string', default: '4' },
    warmup: { type: 'string', default: '100' },
    concurrency: { type: 'string' },
    pool: { type: 'string' },
    'sweep-ms': { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const holdCount = Math.max(1, Number(flags.holds));
const warmupCount = Math.max(0, Number(flags.warmup));
// Two holds per buyer, warm-up included: at most 8 tickets each, within the default limit of 10.
const buyerCount = Math.max(1, Number(flags.buyers ?? Math.ceil((holdCount + warmupCount) / 2)));
const connections = Math.max(1, Number(flags.connections));
const holdSeconds = Math.max(1, Number(flags['hold-seconds']));
const ticketTypeCount = Math.max(1, Number(flags['ticket-types']));
const seed = Number(flags.seed);
const targetMs = 1000;
const maxQuantity = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
// Where stderr is a terminal, one line that says what the run is doing.
const progress = (text: string) => void (process.stderr.isTTY && process.stderr.write(`\r${text}`.padEnd(90)));
const clearProgress = () => void (process.stderr.isTTY && process.stderr.write(`\r${' '.repeat(90)}\r`));

const random = createRandom(seed);

interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p99 of 3,000 is the 2,970th smallest.
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}

// Each buyer holds at most this many times; the per-buyer limit is raised only if --buyers asks for more than the default allows.
const holdsPerBuyer = Math.ceil((holdCount + warmupCount) / buyerCount);
const defaultLimit = 10;
const buyerLimit = Math.max(defaultLimit, holdsPerBuyer * maxQuantity);

const infra = await infrastructure();
const database = await createTestDatabase();
const issuer = await createTestIssuer();
const jwks = await issuer.serve();
const prefix = uniquePrefix();
const amqpPrefix = `${prefix}.`;
const redisPrefix = `${prefix}-orders`;
const rawPrefix = `${prefix}-raw`;
const ports = { service: await freePort(), worker: await freePort() };
const env: Record<string, string> = {
  // As npm start runs them (NODE_ENV development: JSON logs at info all the same).
  LOG_LEVEL: 'info',
  DATABASE_URL: database.urlFor('order-service'),
  AMQP_URL: infra.amqpUrl,
  AMQP_PREFIX: amqpPrefix,
  REDIS_URL: infra.redisUrl,
  REDIS_PREFIX: redisPrefix,
  AUTH_JWKS_URL: jwks.url,
  AUTH_JWT_ISSUER: issuer.issuer,
  AUTH_JWT_AUDIENCE: issuer.audience,
  ORDER_HOLD_SECONDS: String(holdSeconds),
  ...(buyerLimit !== defaultLimit && { ORDER_MAX_TICKETS_PER_BUYER: String(buyerLimit) }),
  ...(flags.pool && { DATABASE_POOL_MAX: flags.pool }),
};
const workerEnv: Record<string, string> = {
  ...env,
  WORKER_PORT: String(ports.worker),
  ...(flags.concurrency && { WORKER_CONCURRENCY: flags.concurrency }),
  ...(flags['sweep-ms'] && { ORDER_SWEEP_EVERY_MS: flags['sweep-ms'] }),
};
// What the worker runs with: its own schema's defaults for whatever is not set here.
const workerConfig = loadConfig(workerConfigSchema, workerEnv);
const concurrency = workerConfig.WORKER_CONCURRENCY;

const pool = connectDatabase({ url: database.urlFor('order-service'), max: 2, applicationName: 'bench-expiry' });
const sql = pool.sql;
const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: null, connectionName: 'bench-expiry' });
const queues: Queue[] = [];
const watchers: Array<() => Promise<void>> = [];
let baselineWorker: ChildProcess | undefined;

/** The order worker, as `npm run worker` starts it; its JSON log lines go to `onLine`. */
function startOrderWorkerProcess(onLine: (line: string) => void): Started {
  const child = spawn(process.execPath, ['--import', '@twenny/telemetry/register', 'src/worker.ts'], {
    cwd: `${repoRoot}/order-service`,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...workerEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  createInterface({ input: child.stdout! }).on('line', onLine);
  return { child, stderr };
}

/**
 * Every job of a queue that completes from now on: its return value and when
 * (the id of BullMQ's event, Redis's clock, written as the job is finished).
 * Read as they come, so nothing is lost to the queue trimming its completed set
 * (a scheduler job's removeOnComplete: 100 trims it for every job).
 */
async function watchCompletions(queueName: string, redisPrefix: string) {
  const connection = new Redis(infra.redisUrl, { maxRetriesPerRequest: null, connectionName: 'bench-expiry-events' });
  const events = new QueueEvents(queueName, { connection, prefix: redisPrefix });
  const completed = new Map<string, { returnvalue: unknown; at: number }>();
  events.on('completed', ({ jobId, returnvalue }, id) => completed.set(jobId, { returnvalue, at: Number(id.split('-')[0]) }));
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= events.close().then(() => connection.quit().then(() => undefined), () => connection.disconnect()));
  watchers.push(close);
  await events.waitUntilReady();
  return { completed, close };
}

/**
 * What the order processes' database connections are doing, sampled from
 * pg_stat_activity every 50 ms until stopped: per process, the average number
 * of connections busy in a statement and what they wait on (row locks, WAL,
 * the client: ClientRead, nothing: running). They log in as the order role, as
 * the benchmark does, which may see its own sessions.
 */
function sampleConnections(sqlOf: typeof sql, names: string[]) {
  const counts = new Map(names.map((name) => [name, { samples: 0, active: 0, lock: 0, wal: 0, running: 0, client: 0, other: 0, events: new Map<string, number>() }]));
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const rows = (await sqlOf`
        select application_name as name, wait_event_type as type, wait_event as event from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid() and application_name in ${sqlOf(names)}`.catch(() => [])) as unknown as Array<{ name: string; type: string | null; event: string | null }>;
      for (const c of counts.values()) c.samples++;
      for (const r of rows) {
        const c = counts.get(r.name)!;
        c.active++;
        if (r.type !== null) c.events.set(`${r.type}:${r.event}`, (c.events.get(`${r.type}:${r.event}`) ?? 0) + 1);
        if (r.type === 'Lock') c.lock++;
        else if (r.type === null) c.running++;
        else if (r.event?.startsWith('WAL')) c.wal++;
        else if (r.type === 'Client') c.client++;
        else c.other++;
      }
      await sleep(50);
    }
  })();
  return async () => {
    stopped = true;
    await running;
    return counts;
  };
}

interface HoldPlan {
  buyer: number;
  items: Array<{ ticketTypeId: string; quantity: number }>;
}
interface HoldResult {
  id?: string;
  status: number;
  /** When the answer came (epoch ms): just after the service added the hold's timer. */
  answeredAt: number;
}

try {
  // Its warnings and errors are kept (a timer that could not start says so), the rest only scanned.
  const serviceLog: Array<Record<string, unknown>> = [];
  const service = startPlatformProcess('order-service', { ...env, PORT: String(ports.service) }, (line) => {
    if (!line.includes('"level":4') && !line.includes('"level":5') && !line.includes('"level":6')) return;
    try {
      serviceLog.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not JSON: ignore
    }
  });
  const serviceUrl = `http://127.0.0.1:${ports.service}`;
  const workerLog: Array<Record<string, unknown>> = [];
  const worker = startOrderWorkerProcess((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === 'job failed' || entry.msg === 'released holds whose timer was lost' || (typeof entry.level === 'number' && entry.level >= 50)) workerLog.push(entry);
    } catch {
      // not JSON: ignore
    }
  });
  try {
    await untilReady('order-service', `${serviceUrl}/health/ready`, service);
    await untilReady('order worker', `http://127.0.0.1:${ports.worker}/health/ready`, worker);
  } catch (error) {
    console.error(`bench:expiry: a process did not start, so nothing can be measured: ${(error as Error).message}`);
    console.error([...service.stderr.slice(-10), ...worker.stderr.slice(-10)].join('\n'));
    process.exitCode = 1;
    throw error;
  }

  // An event on sale, as catalog would announce it: a few ticket types with room for every hold.
  const eventId = randomUUID();
  const ticketTypeIds = Array.from({ length: ticketTypeCount }, () => randomUUID());
  const capacity = (holdCount + warmupCount) * maxQuantity;
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  await publishOnBus(infra.amqpUrl, amqpPrefix, {
    id: randomUUID(),
    type: eventPublishedV1.type,
    source: 'catalog-service',
    time: new Date().toISOString(),
    subject: eventId,
    version: 1,
    data: {
      eventId,
      organizationId: randomUUID(),
      slug: `bench-expiry-${eventId}`,
      title: 'Expiry benchmark',
      status: 'published',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 4 * 3_600_000).toISOString(),
      timeZone: 'Europe/Amsterdam',
      currency: 'EUR',
      refundableUntilHours: 48,
      ticketTypes: ticketTypeIds.map((ticketTypeId, i) => ({ ticketTypeId, name: `Tier ${i + 1}`, priceMinor: 1500 + 1000 * i, capacity, salesStartAt: null, salesEndAt: null, minPerOrder: 1, maxPerOrder: 10, hidden: false })),
    },
  });
  await waitFor('the event to reach the inventory', async () => {
    const [{ n }] = (await sql`select count(*)::int as n from orders.inventory where event_id = ${eventId}`) as unknown as [{ n: number }];
    return n === ticketTypeCount;
  }, { timeoutMs: 30_000 });

  // Buyers' tokens, minted up front (as auth-service would issue them), valid for the whole run.
  progress(`minting ${f(buyerCount)} buyer tokens`);
  const tokens: string[] = [];
  for (let i = 0; i < buyerCount; i++) tokens.push(await issuer.sign({ sub: `bench-buyer-${i}`, email: `buyer-${i}@example.test`, role: 'user', orgs: [] }, { expiresIn: '1h' }));

  /** One or two ticket types (one in three holds asks for two), 1–4 tickets in all. */
  const plan = (count: number, firstBuyer: number): HoldPlan[] =>
    Array.from({ length: count }, (_, i) => {
      const tickets = random.int(1, maxQuantity);
      const first = random.int(0, ticketTypeCount - 1);
      const two = ticketTypeCount > 1 && tickets > 1 && random.next() < 1 / 3;
      const split = two ? random.int(1, tickets - 1) : tickets;
      const items = [{ ticketTypeId: ticketTypeIds[first]!, quantity: split }];
      if (two) items.push({ ticketTypeId: ticketTypeIds[(first + random.int(1, ticketTypeCount - 1)) % ticketTypeCount]!, quantity: tickets - split });
      return { buyer: (firstBuyer + i) % buyerCount, items };
    });

  /** Holds them all, `connections` at a time, as buyers clicking "hold" would. */
  const holdAll = async (plans: HoldPlan[]) => {
    const results: HoldResult[] = new Array(plans.length);
    let next = 0;
    const one = async () => {
      for (let i; (i = next++) < plans.length; ) {
        const response = await fetch(`${serviceUrl}/api/reservations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[plans[i]!.buyer]}` },
          body: JSON.stringify({ eventId, items: plans[i]!.items }),
        });
        const body = (await response.json().catch(() => ({}))) as { id?: string };
        results[i] = { id: response.status === 201 ? body.id : undefined, status: response.status, answeredAt: Date.now() };
      }
    };
    await Promise.all(Array.from({ length: Math.min(connections, plans.length) }, one));
    return results;
  };

  /** Updates of the hot rows, and how many of them were HOT (no new index entries): Postgres's counters, flushed about once a second. */
  const tableStats = async () =>
    (await sql`
      select coalesce(sum(n_tup_upd) filter (where relname = 'inventory'), 0)::int as inventory_updates, coalesce(sum(n_tup_hot_upd) filter (where relname = 'inventory'), 0)::int as inventory_hot
      from pg_stat_user_tables where schemaname = 'orders'`) as unknown as [{ inventory_updates: number; inventory_hot: number }];
  /** CPU seconds so far of every Postgres backend on this database (not the other databases' of the cluster), by pid. */
  const backendCpu = async () => {
    const pids = (await sql`select pid from pg_stat_activity where datname = current_database()`) as unknown as Array<{ pid: number }>;
    return new Map(pids.map(({ pid }) => [pid, cpuSeconds(pid)]));
  };
  const stillHeld = async (ids: string[]) => {
    const [{ n }] = (await sql`select count(*)::int as n from orders.reservations where id in ${sql(ids)} and status = 'held'`) as unknown as [{ n: number }];
    return n;
  };
  /** Polls until none of `ids` is held any more, or `deadline` (epoch ms). */
  const untilReleased = async (ids: string[], deadline: number, label: string) => {
    for (;;) {
      const held = await stillHeld(ids);
      progress(`${label}: ${f(held)} of ${f(ids.length)} still held`);
      if (held === 0 || Date.now() > deadline) return held;
      await sleep(100);
    }
  };
  const chunked = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

  // Warm-up: the same path, end to end (hold, timer, expiry), so that neither process is cold when measured.
  if (warmupCount > 0) {
    progress(`warm-up: ${f(warmupCount)} holds`);
    const warm = (await holdAll(plan(warmupCount, holdCount))).flatMap((r) => (r.id ? [r.id] : []));
    if (warm.length > 0) await untilReleased(warm, Date.now() + holdSeconds * 1000 + 30_000, 'warm-up: waiting for the holds to expire');
  }

  // The measured holds; the order queue's events say which hold each timer ended, and when.
  const loadBefore = loadavg()[0]!;
  const orderEvents = await watchCompletions(orderQueueName, redisPrefix);
  await sleep(1100); // the warm-up's updates into Postgres's table counters first
  const [tableStatsBefore] = await tableStats();
  // Each process has a main pool and the pool its holds and releases run on (db/holds-database.ts).
  const stopSampling = sampleConnections(sql, ['order-service', 'order-service-holds', 'order-worker', 'order-worker-holds']);
  const backendsBefore = await backendCpu();
  const cpuBefore = { worker: cpuSeconds(worker.child.pid), service: cpuSeconds(service.child.pid) };
  progress(`holding ${f(holdCount)} × (1–${maxQuantity} tickets) with ${connections} connections`);
  const createdFrom = Date.now();
  const results = await holdAll(plan(holdCount, 0));
  const createdUntil = Date.now();
  const held = results.filter((r) => r.id !== undefined) as Array<Required<HoldResult>>;
  const refused: Record<string, number> = {};
  for (const r of results) if (r.status !== 201) refused[r.status] = (refused[r.status] ?? 0) + 1;
  const ids = held.map((r) => r.id);
  if (ids.length === 0) throw new Error(`no hold was made: ${JSON.stringify(refused)}`);

  // Until every hold is over: the sweeper's period plus its grace covers a lost timer.
  const [{ last }] = (await sql`select max(expires_at) as last from orders.reservations where event_id = ${eventId}`) as unknown as [{ last: Date }];
  const deadline = new Date(last).getTime() + workerConfig.ORDER_SWEEP_EVERY_MS + 30_000;
  let leftHeld = 0;
  for (const batch of chunked(ids, 5000)) leftHeld += await untilReleased(batch, deadline, 'waiting for the holds to expire');
  const allOverAt = Date.now();
  const connectionSamples = await stopSampling();
  // A sweep still running says what it released only when done: wait for the worker to be idle.
  const orderQueue = new Queue(orderQueueName, { connection: redis, prefix: redisPrefix });
  queues.push(orderQueue);
  await waitFor('the order worker to be idle', async () => (await orderQueue.getActiveCount()) === 0, { timeoutMs: 30_000, intervalMs: 100 }).catch(() => undefined);
  await sleep(200); // its last log lines
  const cpuAfter = { worker: cpuSeconds(worker.child.pid), service: cpuSeconds(service.child.pid) };
  // Backends that came and went in between are missed: the pools keep theirs.
  const backendsAfter = [...(await backendCpu())];
  const postgresCpu = backendsAfter.some(([, after]) => after === undefined) ? NaN : backendsAfter.reduce((sum, [pid, after]) => sum + after! - (backendsBefore.get(pid) ?? 0), 0);

  // What the database says about each hold (both times on its clock).
  const rows: Array<{ id: string; status: string; expires_ms: number; ended_ms: number | null }> = [];
  for (const batch of chunked(ids, 5000)) {
    const found = (await sql`
      select id, status, extract(epoch from expires_at) * 1000 as expires_ms, extract(epoch from ended_at) * 1000 as ended_ms
      from orders.reservations where id in ${sql(batch)}`) as unknown as typeof rows;
    rows.push(...found.map((r) => ({ ...r, expires_ms: Number(r.expires_ms), ended_ms: r.ended_ms === null ? null : Number(r.ended_ms) })));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const statuses: Record<string, number> = {};
  for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const expired = rows.filter((r) => r.status === 'expired' && r.ended_ms !== null);
  const lag = (r: (typeof rows)[number]) => r.ended_ms! - r.expires_ms;
  const lagEnded = distribution(expired.map(lag));
  // Holds due while buyers were still holding (the timers compete with new holds for the same rows), and those due after.
  const lagDuring = distribution(expired.filter((r) => r.expires_ms <= createdUntil).map(lag));
  const lagAfter = distribution(expired.filter((r) => r.expires_ms > createdUntil).map(lag));

  // What the timers did (from BullMQ's events): which hold each ended, and when its job completed.
  let byTimer = 0;
  let lateTimers = 0;
  const lagCompleted: number[] = [];
  for (const id of ids) {
    const completion = orderEvents.completed.get(expiryJobId(id));
    if (completion?.returnvalue === 'expired') {
      byTimer++;
      lagCompleted.push(completion.at - byId.get(id)!.expires_ms);
    } else if (completion) lateTimers++;
  }
  const timersSeen = byTimer + lateTimers;
  // pino's time: ISO (the services' loggers) or epoch ms.
  const afterStart = (l: Record<string, unknown>) => !(typeof l.time === 'number' || typeof l.time === 'string') || new Date(l.time).getTime() >= createdFrom;
  const bySweeper = workerLog.filter((l) => l.msg === 'released holds whose timer was lost' && afterStart(l)).reduce((sum, l) => sum + Number(l.released ?? 0), 0);
  const failedTimers = workerLog.filter((l) => l.msg === 'job failed' && l.job === 'expire-reservation' && afterStart(l));
  const failedTimerLines = failedTimers.length;
  const failureReasons = new Map<string, number>();
  for (const l of failedTimers) {
    const err = l.err as { type?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
    const reason = err?.cause ? `database error ${err.cause.code ?? ''}: ${err.cause.message ?? ''}` : `${err?.type ?? 'Error'}: ${err?.message ?? 'unknown'}`;
    failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
  }
  const workerErrors = workerLog.filter((l) => typeof l.level === 'number' && l.level >= 50);
  const serviceWarnings = new Map<string, number>();
  for (const l of serviceLog) if (afterStart(l)) serviceWarnings.set(String(l.msg), (serviceWarnings.get(String(l.msg)) ?? 0) + 1);
  await orderEvents.close();

  // -------------------------------------------------------------------------
  // The baseline: the same timers on bare BullMQ, replayed at the same moments.

  const schedule = held.map((r) => ({ addAt: r.answeredAt, dueAt: byId.get(r.id)!.expires_ms })).sort((a, b) => a.addAt - b.addAt);
  const rawQueueName = 'bench-expiry-raw';
  baselineWorker = fork(fileURLToPath(new URL('./lib/expiry-baseline-worker.ts', import.meta.url)), {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_REDIS_URL: infra.redisUrl, BENCH_REDIS_PREFIX: rawPrefix, BENCH_QUEUE: rawQueueName, BENCH_CONCURRENCY: String(concurrency) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(baselineWorker);
  await new Promise<void>((resolve, reject) => {
    baselineWorker!.once('message', () => resolve());
    baselineWorker!.once('exit', (code) => reject(new Error(`the baseline worker exited with ${code}`)));
  });
  const rawQueue = new Queue(rawQueueName, { connection: redis, prefix: rawPrefix });
  queues.push(rawQueue);
  await rawQueue.waitUntilReady();
  const rawEvents = await watchCompletions(rawQueueName, rawPrefix);
  // The same options as a hold's timer (hold-timers.ts), so that BullMQ does the same work per job.
  const timerOptions: JobsOptions = { attempts: 10, backoff: { type: 'fixed', delay: 100 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } };
  // A few jobs first, as the warm-up did for ours.
  const warmJobs = Array.from({ length: 20 }, () => `warm-${randomUUID()}`);
  await rawQueue.addBulk(warmJobs.map((jobId) => ({ name: 'expire-reservation', data: { reservationId: jobId }, opts: { ...timerOptions, jobId } })));
  // Asked of Redis, not of the event stream: a completion published before the stream was read would never show there.
  await waitFor('the baseline warm-up', async () => (await Promise.all(warmJobs.map((jobId) => rawQueue.getJobState(jobId)))).every((state) => state === 'completed'), { timeoutMs: 20_000, intervalMs: 50 });

  const rawDue = new Map<string, number>();
  const cpuRawBefore = cpuSeconds(baselineWorker.pid);
  const shift = Date.now() + 200 - schedule[0]!.addAt;
  progress(`baseline: ${f(schedule.length)} delayed jobs on bare BullMQ`);
  for (let i = 0; i < schedule.length; ) {
    await sleep(schedule[i]!.addAt + shift - Date.now());
    const now = Date.now();
    const batch: Parameters<Queue['addBulk']>[0] = [];
    for (; i < schedule.length && schedule[i]!.addAt + shift <= now; i++) {
      const reservationId = randomUUID();
      const due = schedule[i]!.dueAt + shift;
      rawDue.set(expiryJobId(reservationId), due);
      // As hold-timers.ts computes it: the delay from now to the due time.
      batch.push({ name: 'expire-reservation', data: { reservationId }, opts: { ...timerOptions, jobId: expiryJobId(reservationId), delay: Math.max(0, due - Date.now()) } });
    }
    await rawQueue.addBulk(batch);
  }
  await waitFor('the baseline jobs to finish', () => [...rawDue.keys()].every((jobId) => rawEvents.completed.has(jobId)), {
    timeoutMs: schedule[schedule.length - 1]!.dueAt - schedule[0]!.addAt + 60_000,
    intervalMs: 100,
  });
  const cpuRawAfter = cpuSeconds(baselineWorker.pid);
  const rawLateness = distribution([...rawDue].map(([jobId, due]) => rawEvents.completed.get(jobId)!.at - due));
  await rawEvents.close();
  clearProgress();

  // -------------------------------------------------------------------------
  // Report

  const expiresFrom = Math.min(...rows.map((r) => r.expires_ms));
  const expiresUntil = Math.max(...rows.map((r) => r.expires_ms));
  const lastEnded = Math.max(...expired.map((r) => r.ended_ms!));
  const createdSeconds = (createdUntil - createdFrom) / 1000;
  const cpuMsPer = (before: number | undefined, after: number | undefined, count: number) => (before === undefined || after === undefined || count === 0 ? NaN : ((after - before) * 1000) / count);
  const refusedText = Object.keys(refused).length ? `, refused: ${Object.entries(refused).map(([s, n]) => `${f(n)} × ${s}`).join(', ')}` : ', none refused';

  console.log(`\nexpiry benchmark — ${new Date().toISOString()} — node ${process.version}; order-service and its worker as separate processes (telemetry preloaded, info logs); worker concurrency ${concurrency}, pool ${workerConfig.DATABASE_POOL_MAX} each, sweeper every ${f(workerConfig.ORDER_SWEEP_EVERY_MS)} ms`);
  console.log(`machine: 1-minute load average ${f(loadBefore, 1)} before the measured holds, ${f(loadavg()[0]!, 1)} at the end (${availableParallelism()} cores; whatever else runs on the machine shows in every figure, the baseline's too, though not at the same moment)`);
  console.log(`load: ${f(holdCount)} holds by ${f(buyerCount)} buyers (${connections} at once), 1–${maxQuantity} tickets over ${ticketTypeCount} ticket types, held ${holdSeconds} s; after a warm-up of ${f(warmupCount)} holds (seed ${seed})`);
  console.log(`holds made in ${f(createdSeconds, 1)} s (${f(ids.length / createdSeconds)}/s${refusedText}); due over ${f((expiresUntil - expiresFrom) / 1000, 1)} s (expires_at first → last); the last ended ${f((lastEnded - expiresUntil) / 1000, 2)} s after the last was due`);
  console.log(`raw: a bare BullMQ Worker (own process, concurrency ${concurrency}, no-op) on the same Redis, the same ${f(rawDue.size)} delayed jobs added and due at the same moments (relative), with the timers' job options; completed = BullMQ's completed event (Redis clock)\n`);
  console.log(row(['path', 'holds / jobs', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'worker CPU ms per hold']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  const line = (label: string, d: Distribution, cpu = '') => console.log(row([label, f(d.count), f(d.p50, 1), f(d.p90, 1), f(d.p99, 1), f(d.max, 1), cpu]));
  line('(raw) BullMQ delayed job → no-op Worker: completed − due', rawLateness, f(cpuMsPer(cpuRawBefore, cpuRawAfter, rawDue.size), 2));
  line('(ours) hold released: ended_at − expires_at (database clock)', lagEnded, f(cpuMsPer(cpuBefore.worker, cpuAfter.worker, expired.length), 2));
  line('(ours) of which due while buyers were still holding', lagDuring);
  line('(ours) of which due after the last hold was made', lagAfter);
  line('(ours) timer job completed (after its commit) − expires_at', distribution(lagCompleted));

  const ratio = lagEnded.p99 / rawLateness.p99;
  console.log(`\nratio p99 ours / raw: ${f(ratio, 1)}× (${f(lagEnded.p99, 1)} ms against ${f(rawLateness.p99, 1)} ms, ${f(lagEnded.p99 - rawLateness.p99, 1)} ms more than BullMQ alone takes); p50 ${f(lagEnded.p50 / rawLateness.p50, 1)}×`);
  console.log(`released: ${f(statuses.expired ?? 0)} of ${f(ids.length)} holds expired in the database${Object.entries(statuses).filter(([s]) => s !== 'expired').map(([s, n]) => `, ${f(n)} ${s}`).join('')}${leftHeld > 0 ? ` (${f(leftHeld)} still held at the deadline)` : ''}; by their own timer ${f(byTimer)}, by the sweeper ${f(bySweeper)}, otherwise ${f(Math.max(0, expired.length - byTimer - bySweeper))}`);
  console.log(`timers: ${f(timersSeen)} of ${f(ids.length)} completed (${f(lateTimers)} found the hold already ended); ${f(failedTimerLines)} attempts failed and were retried${failureReasons.size ? ` (${[...failureReasons].map(([reason, n]) => `${f(n)} × ${reason}`).join(', ')})` : ''}${workerErrors.length ? `; ${workerErrors.length} worker errors, first: ${String(workerErrors[0]!.msg)}` : ''}`);
  console.log(`CPU from the first hold to the last release: worker ${f((cpuAfter.worker ?? NaN) - (cpuBefore.worker ?? NaN), 2)} s, order-service ${f((cpuAfter.service ?? NaN) - (cpuBefore.service ?? NaN), 2)} s, Postgres backends of this database ${f(postgresCpu, 2)} s, over ${f((allOverAt - createdFrom) / 1000, 1)} s of wall time on ${availableParallelism()} cores`);
  const share = (n: number, of: number) => (of > 0 ? `${Math.round((100 * n) / of)}%` : 'n/a');
  const waits = [...connectionSamples].map(([name, c]) =>
    `${name} ${f(c.active / Math.max(1, c.samples), 1)} of ${workerConfig.DATABASE_POOL_MAX} (row locks ${share(c.lock, c.active)}, WAL ${share(c.wal, c.active)}, running ${share(c.running, c.active)}, waiting for Node (ClientRead) ${share(c.client, c.active)}, other ${share(c.other, c.active)}${c.events.size ? `; most waited on: ${[...c.events].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([event, n]) => `${event} ${share(n, c.active)}`).join(', ')}` : ''})`);
  console.log(`database connections busy in a statement, on average (pg_stat_activity every 50 ms, first hold to last release): ${waits.join('; ')}`);
  await sleep(1100); // Postgres flushes its table counters about once a second
  const [tableStatsAfter] = await tableStats();
  const inventoryUpdates = tableStatsAfter.inventory_updates - tableStatsBefore.inventory_updates;
  console.log(`orders.inventory (${ticketTypeCount} rows, one per ticket type, changed by every hold and every release): ${f(inventoryUpdates)} updates, ${f(tableStatsAfter.inventory_hot - tableStatsBefore.inventory_hot)} of them HOT`);
  if (serviceWarnings.size) console.log(`order-service warnings and errors while measured: ${[...serviceWarnings].map(([msg, n]) => `${f(n)} × "${msg}"`).join(', ')}`);
  const met = lagEnded.p99 <= targetMs && leftHeld === 0 && (statuses.expired ?? 0) === ids.length;
  console.log(`\nverdict: p99 release lag ${f(lagEnded.p99)} ms (target ≤ ${f(targetMs)} ms), every hold expired: ${(statuses.expired ?? 0) === ids.length ? 'yes' : 'no'} — ${met ? 'met' : 'not met'}`);
} finally {
  clearProgress();
  for (const close of watchers) await close().catch(() => undefined);
  for (const queue of queues) await queue.close().catch(() => undefined);
  await stopChildren();
  await redis.quit().catch(() => redis.disconnect());
  await jwks.close();
  await pool.close();
  // order-service declared the whole topology (every subscriber's queues) under this prefix.
  await deleteTestTopology(infra.amqpUrl, amqpPrefix).catch(() => undefined);
  // Both queues' keys: `${prefix}-orders…` and `${prefix}-raw…`.
  await deleteRedisKeys(infra.redisUrl, `${prefix}-`);
  await database.drop();
}
