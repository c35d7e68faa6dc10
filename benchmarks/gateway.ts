/**
 * npm run bench:gateway — GET /api/me three ways, in one run, same load:
 *   (a) directly on auth-service, with a bearer token (the ceiling);
 *   (b) through a bare undici.Pool hop (benchmarks/gateway-bare-proxy.ts), bearer
 *       token: the best honest proxy (ceilings.md), the baseline;
 *   (d) for reference, the same bare hop as an Express app's only middleware:
 *       what Express alone costs, which the gateway (an Express app) pays too;
 *   (c) through the gateway as `npm start` runs it — telemetry preloaded, logs at
 *       info, rate limits counted (in Redis, batched), identity verified — with a
 *       session cookie, which the gateway exchanges at auth-service and caches.
 * Prints requests/s, p50/p99, the ratio c/b (target ≥ 0.8; printed, never
 * asserted), and the CPU time per request of the hop and of auth-service, read
 * from /proc: steadier than requests/s when something else runs on the machine.
 *
 * Every process is started here on free ports: auth-service on a fresh test
 * database, the bare hop, the gateway. The load generator (autocannon) runs in a
 * child process too; all of them share this machine's cores, so figures compare
 * within one run only. Several users sign up and requests take their sessions
 * (or tokens) in turn. The gateway's rate limits are raised so that none is
 * refused: every request is still counted, per address and per user.
 *
 * Paths are measured in rounds (each round every path, in a turning order) and
 * summed, so that a slow spell of the machine falls on all of them alike.
 * BENCH_CONNECTIONS (64), BENCH_ROUNDS (3), BENCH_DURATION (5 s per path per round),
 * BENCH_WARMUP (2 s), BENCH_USERS (10).
 * To see what one part of the gateway costs: BENCH_GATEWAY_NODE_OPTIONS is passed to
 * the gateway (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_GATEWAY_ENV (JSON)
 * adds to its environment, BENCH_GATEWAY_TELEMETRY=off starts it without the preload.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, deleteRedisKeys, deleteTestTopology, infrastructure, uniquePrefix } from '@twenny/testing';
import type { LoadCommand, LoadReport, MeasuringNotice } from './lib/load.ts';
import { children, cpuSeconds, freePort, startPlatformProcess, untilReady } from './lib/processes.ts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 2);
const roundCount = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const userCount = Number(process.env.BENCH_USERS ?? 10);
// auth-service's own default: the origin its cookies and CSRF checks belong to.
const siteOrigin = 'http://localhost:3000';

type Measured = LoadReport & { cpuMicrosPerRequest: Record<'auth' | 'hop', number | undefined> };

/** One path's rounds as one figure: rates and CPU over all requests, the median p50, the worst p99. */
function combine(rounds: Measured[]): Measured {
  const sum = (pick: (m: Measured) => number) => rounds.reduce((total, m) => total + pick(m), 0);
  const requests = (m: Measured) => m.ok + m.failed;
  const cpu = (name: 'auth' | 'hop') =>
    rounds.some((m) => m.cpuMicrosPerRequest[name] === undefined) ? undefined : sum((m) => m.cpuMicrosPerRequest[name]! * requests(m)) / sum(requests);
  const p50s = rounds.map((m) => m.p50).sort((x, y) => x - y);
  const statuses: Record<string, number> = {};
  for (const m of rounds) for (const [code, count] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  return {
    requestsPerSecond: sum((m) => m.requestsPerSecond) / rounds.length,
    p50: p50s[Math.floor(p50s.length / 2)]!,
    p99: Math.max(...rounds.map((m) => m.p99)),
    ok: sum((m) => m.ok),
    failed: sum((m) => m.failed),
    warmupRequests: sum((m) => m.warmupRequests),
    statuses,
    cpuMicrosPerRequest: { auth: cpu('auth'), hop: cpu('hop') },
  };
}

const infra = await infrastructure();
const database = await createTestDatabase();
const prefix = uniquePrefix();
const ports = { auth: await freePort(), bare: await freePort(), express: await freePort(), gateway: await freePort() };
const urls = { auth: `http://127.0.0.1:${ports.auth}`, bare: `http://127.0.0.1:${ports.bare}`, express: `http://127.0.0.1:${ports.express}`, gateway: `http://127.0.0.1:${ports.gateway}` };

let load: ChildProcess | undefined;
try {
  // Counts the gateway's session exchanges (auth-service logs each request it serves).
  let exchanges = 0;
  const auth = startPlatformProcess(
    'auth-service',
    {
      PORT: String(ports.auth),
      NODE_ENV: 'test',
      DATABASE_URL: database.urlFor('auth-service'),
      AMQP_URL: infra.amqpUrl,
      AMQP_PREFIX: `${prefix}.`,
      REDIS_URL: infra.redisUrl,
      REDIS_PREFIX: `${prefix}-auth`,
    },
    (line) => {
      if (line.includes('"path":"/api/auth/token"')) exchanges++;
    },
  );
  try {
    await untilReady('auth-service', `${urls.auth}/health/ready`, auth);
  } catch (error) {
    console.error(`auth-service did not start, so nothing can be measured: ${(error as Error).message}`);
    console.error(auth.stderr.slice(-20).join('\n'));
    process.exitCode = 1;
    throw error;
  }

  // Users as the site would create them, each with a session cookie and its identity token.
  const users: Array<{ cookie: string; token: string }> = [];
  for (let i = 0; i < userCount; i++) {
    const signUp = await fetch(`${urls.auth}/api/auth/sign-up/email`, {
      method: 'POST',
      // Each from an address of its own: Better-Auth limits sign-ups per address.
      headers: { 'content-type': 'application/json', origin: siteOrigin, 'x-forwarded-for': `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` },
      body: JSON.stringify({ name: `Bench ${i}`, email: `bench-${prefix}-${i}@example.com`, password: 'bench-password-0123' }),
    });
    const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.includes('session_token='));
    if (signUp.status !== 200 || !cookie) throw new Error(`sign-up answered ${signUp.status} ${await signUp.text()}`);
    const exchanged = await fetch(`${urls.auth}/api/auth/token`, { headers: { cookie } });
    const { token } = (await exchanged.json()) as { token?: string };
    if (!token) throw new Error(`/api/auth/token answered ${exchanged.status}`);
    users.push({ cookie, token });
  }
  const direct = await fetch(`${urls.auth}/api/me`, { headers: { authorization: `Bearer ${users[0]!.token}` } });
  if (direct.status !== 200) throw new Error(`GET /api/me on auth-service answered ${direct.status}: ${await direct.text()}`);

  const expressHop = spawn(process.execPath, [fileURLToPath(new URL('./gateway-bare-proxy.ts', import.meta.url))], {
    env: { PATH: process.env.PATH, PORT: String(ports.express), BENCH_TARGET: urls.auth, BENCH_POOL_CONNECTIONS: String(connections), BENCH_HOP: 'express' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(expressHop);
  const expressStarted = { child: expressHop, stderr: [] as string[] };
  createInterface({ input: expressHop.stderr! }).on('line', (line) => expressStarted.stderr.push(line));
  const bare = spawn(process.execPath, [fileURLToPath(new URL('./gateway-bare-proxy.ts', import.meta.url))], {
    env: { PATH: process.env.PATH, PORT: String(ports.bare), BENCH_TARGET: urls.auth, BENCH_POOL_CONNECTIONS: String(connections) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(bare);
  const bareStarted = { child: bare, stderr: [] as string[] };
  createInterface({ input: bare.stderr! }).on('line', (line) => bareStarted.stderr.push(line));

  const unlimited = String(1_000_000_000);
  const gateway = startPlatformProcess('gateway', {
    PORT: String(ports.gateway),
    LOG_LEVEL: 'info',
    AUTH_SERVICE_URL: urls.auth,
    AUTH_JWKS_URL: `${urls.auth}/api/auth/jwks`,
    REDIS_URL: infra.redisUrl,
    REDIS_PREFIX: `${prefix}-gateway`,
    UPSTREAM_CONNECTIONS: String(connections),
    RATE_LIMIT_PER_ADDRESS: unlimited,
    RATE_LIMIT_PER_USER: unlimited,
    // e.g. BENCH_GATEWAY_NODE_OPTIONS=--cpu-prof to see where the gateway's time goes.
    ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}),
    // e.g. BENCH_GATEWAY_ENV='{"LOG_LEVEL":"warn"}' to see what one setting costs.
    ...(JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') as Record<string, string>),
  }, undefined, process.env.BENCH_GATEWAY_TELEMETRY !== 'off');
  await untilReady('the bare proxy', `${urls.bare}/health/live`, bareStarted);
  await untilReady('the bare Express proxy', `${urls.express}/health/live`, expressStarted);
  await untilReady('the gateway', `${urls.gateway}/health/ready`, gateway);
  const through = await fetch(`${urls.gateway}/api/me`, { headers: { cookie: users[0]!.cookie } });
  if (through.status !== 200) throw new Error(`GET /api/me through the gateway answered ${through.status}: ${await through.text()}`);

  load = fork(fileURLToPath(new URL('./lib/load.ts', import.meta.url)));
  const watched = { auth: auth.child.pid, hop: undefined as number | undefined };
  /** Runs the load and reports, besides autocannon's figures, CPU µs per request of auth-service and of the hop in front of it. */
  const measure = (url: string, headerSets: Array<Record<string, string>>, hop?: ChildProcess) =>
    new Promise<Measured>((resolve) => {
      watched.hop = hop?.pid;
      let before: Record<string, number | undefined> = {};
      const onMessage = (message: LoadReport | MeasuringNotice) => {
        if ('measuring' in message) {
          before = { auth: cpuSeconds(watched.auth), hop: cpuSeconds(watched.hop) };
          return;
        }
        load!.off('message', onMessage);
        const requests = message.ok + message.failed;
        const perRequest = (name: 'auth' | 'hop') => {
          const start = before[name];
          const end = cpuSeconds(watched[name]);
          return start === undefined || end === undefined || requests === 0 ? undefined : ((end - start) * 1e6) / requests;
        };
        resolve({ ...message, cpuMicrosPerRequest: { auth: perRequest('auth'), hop: perRequest('hop') } });
      };
      load!.on('message', onMessage);
      load!.send({ url, headerSets, connections, warmupSeconds, durationSeconds } satisfies LoadCommand);
    });

  const bearer = users.map((user) => ({ authorization: `Bearer ${user.token}` }));
  const cookies = users.map((user) => ({ cookie: user.cookie }));
  // Rounds, each measuring every path, in an order that turns each round: drift on
  // this shared machine (another process waking, caches warming) then falls on
  // every path alike instead of on whichever ran last.
  const paths = {
    a: () => measure(`${urls.auth}/api/me`, bearer),
    b: () => measure(`${urls.bare}/api/me`, bearer, bare),
    d: () => measure(`${urls.express}/api/me`, bearer, expressHop),
    c: () => measure(`${urls.gateway}/api/me`, cookies, gateway.child),
  };
  const order = Object.keys(paths) as Array<keyof typeof paths>;
  const rounds: Array<Record<keyof typeof paths, Measured>> = [];
  const exchangesBefore = exchanges;
  for (let round = 0; round < roundCount; round++) {
    const measured = {} as Record<keyof typeof paths, Measured>;
    for (let i = 0; i < order.length; i++) {
      const name = order[(i + round) % order.length]!;
      measured[name] = await paths[name]();
    }
    rounds.push(measured);
  }
  const across = (name: keyof typeof paths) => combine(rounds.map((round) => round[name]));
  const [a, b, c, d] = [across('a'), across('b'), across('c'), across('d')];
  // Warm-up and measured runs both count: every request of (c) looks its session up.
  const lookups = c.warmupRequests + c.ok + c.failed;
  const hitRate = lookups > 0 ? 1 - (exchanges - exchangesBefore) / lookups : NaN;

  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`\ngateway benchmark — ${new Date().toISOString()} — node ${process.version}; autocannon in a child process, ${connections} connections; ${roundCount} rounds of ${warmupSeconds} s warm-up + ${durationSeconds} s per path; ${userCount} users in turn`);
  console.log('req/s and CPU over all rounds; p50 the median round\'s, p99 the worst round\'s\n');
  const micros = (value: number | undefined) => (value === undefined ? 'n/a' : f(value));
  console.log(row(['path to GET /api/me', 'req/s', 'p50 ms', 'p99 ms', 'not 2xx', 'hop CPU µs/req', 'auth-service CPU µs/req']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [label, report] of [
    ['(a) auth-service directly, bearer token', a],
    ['(b) bare undici.Pool hop, bearer token', b],
    ['(c) gateway (tracing, info logs, rate limits, identity), session cookie', c],
    ['(d) for reference: the bare hop inside an Express 5 app, bearer token', d],
  ] as const) {
    console.log(row([label, f(report.requestsPerSecond), f(report.p50, 1), f(report.p99, 1), f(report.failed), micros(report.cpuMicrosPerRequest.hop), micros(report.cpuMicrosPerRequest.auth)]));
  }
  const ratio = c.requestsPerSecond / b.requestsPerSecond;
  const perRound = rounds.map((round) => (round.c.requestsPerSecond / round.b.requestsPerSecond).toFixed(2)).join(', ');
  console.log(`\nratio c/b (gateway / bare hop): ${ratio.toFixed(2)} (target ≥ 0.80: ${ratio >= 0.8 ? 'met' : 'not met'}); by round: ${perRound}`);
  console.log(`ratio b/a (what a bare hop costs): ${(b.requestsPerSecond / a.requestsPerSecond).toFixed(2)}; c/a: ${(c.requestsPerSecond / a.requestsPerSecond).toFixed(2)}`);
  const hopCpu = { bare: b.cpuMicrosPerRequest.hop, gateway: c.cpuMicrosPerRequest.hop };
  if (hopCpu.bare !== undefined && hopCpu.gateway !== undefined) {
    console.log(`CPU per request, gateway / bare hop: ${(hopCpu.gateway / hopCpu.bare).toFixed(2)} (steadier than req/s on a shared machine: the gateway's own cost)`);
  }
  console.log(`gateway session-token cache: ${exchanges - exchangesBefore} exchanges at auth-service for ${f(lookups)} requests (hit rate ${Number.isFinite(hitRate) ? `${(hitRate * 100).toFixed(2)}%` : 'n/a'})`);
  if (d.cpuMicrosPerRequest.hop !== undefined && b.cpuMicrosPerRequest.hop !== undefined) {
    console.log(`of which Express alone (d − b): ${Math.round(d.cpuMicrosPerRequest.hop - b.cpuMicrosPerRequest.hop)} µs of CPU per request; ratio d/b: ${(d.requestsPerSecond / b.requestsPerSecond).toFixed(2)}`);
  }
  for (const [name, report] of Object.entries({ a, b, c, d })) {
    if (report.failed > 0) console.log(`(${name}) statuses: ${JSON.stringify(report.statuses)}`);
  }
} finally {
  load?.kill();
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  // auth-service declared the whole topology (every subscriber's queues) under this prefix.
  await deleteTestTopology(infra.amqpUrl, `${prefix}.`).catch(() => undefined);
  // Both processes' keys: `${prefix}-auth…` and `${prefix}-gateway…`.
  await deleteRedisKeys(infra.redisUrl, `${prefix}-`);
  await database.drop();
}
