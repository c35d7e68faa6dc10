/**
 * `npm start`: the whole platform on this machine. Checks Postgres, Redis and
 * RabbitMQ, prepares the database (schemas and one role per service), starts
 * every service, the order and media workers and the gateway with readable logs, waits until
 * the gateway reports every service ready, and prints the URLs. Ctrl-C stops all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ensureDatabaseExists, provisionDatabase, serviceDatabases } from '@twenny/db';
import { localDefaults, probePostgres, probeRabbitmq, probeRedis, startHints } from '@twenny/dev-infra';
import { demoAccounts, demoPassword } from '../auth-service/src/seed/demo-accounts.ts';
import { seedDemoEvents } from './lib/demo-events.ts';
import { seedDemoOrders } from './lib/demo-orders.ts';
import { platformLayout, portOf, processEnv } from './lib/platform-env.ts';
import { platformProcesses } from './lib/platform-processes.ts';
import { createProcessGroup } from './lib/process-group.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const startedAt = Date.now();
const adminUrl = process.env.DATABASE_ADMIN_URL ?? localDefaults.adminDatabaseUrl;
const layout = platformLayout(process.env);
const databaseName = layout.databaseName;
const redisUrl = process.env.REDIS_URL ?? localDefaults.redisUrl;
const amqpUrl = process.env.AMQP_URL ?? localDefaults.amqpUrl;
const { gatewayUrl, siteUrl } = layout;
const readyWithinMs = 60_000;

function say(text: string) {
  process.stdout.write(`\x1b[1mtwenny\x1b[0m  ${text}\n`);
}

function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function checkInfrastructure(): Promise<void> {
  const checks = [
    { name: 'PostgreSQL', variable: 'DATABASE_ADMIN_URL', hint: startHints.postgres, probe: () => probePostgres(adminUrl) },
    { name: 'Redis', variable: 'REDIS_URL', hint: startHints.redis, probe: () => probeRedis(redisUrl) },
    { name: 'RabbitMQ', variable: 'AMQP_URL', hint: startHints.rabbitmq, probe: () => probeRabbitmq(amqpUrl) },
  ];
  let results = await Promise.all(checks.map(async (c) => ({ ...c, result: await c.probe() })));
  let down = results.filter((r) => !r.result.ok);
  if (down.length > 0 && dockerAvailable()) {
    say(`starting ${down.map((d) => d.name).join(', ')} with docker compose ...`);
    execFileSync('docker', ['compose', 'up', '-d', '--wait', 'postgres', 'redis', 'rabbitmq'], { cwd: root, stdio: 'inherit' });
    results = await Promise.all(checks.map(async (c) => ({ ...c, result: await c.probe() })));
    down = results.filter((r) => !r.result.ok);
  }
  if (down.length === 0) return;
  for (const d of down) {
    const error = d.result.ok ? '' : d.result.error;
    process.stderr.write(`\n✗ ${d.name} is not reachable (${error}).\n  Start it with:  ${d.hint}\n  or point ${d.variable} at a running one.\n`);
  }
  process.exit(1);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => server.close(() => resolve(true)))
      .listen(port, '0.0.0.0');
  });
}

async function checkPorts(): Promise<void> {
  const busy = [];
  for (const p of platformProcesses) if (!(await portFree(portOf(p, layout)))) busy.push(p);
  if (busy.length === 0) return;
  for (const p of busy) process.stderr.write(`✗ port ${portOf(p, layout)} (${p.name}) is in use: is twenny already running? Stop it, or free the port.\n`);
  process.exit(1);
}

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Builds the site when its build is missing or older than its sources (a few seconds). */
function buildSiteIfStale(): void {
  const site = join(root, 'frontend');
  const built = join(site, 'build', 'handler.js');
  const sources = ['src', 'static', 'vite.config.ts', 'package.json'].map((p) => join(site, p)).filter(existsSync);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestChange))) return;
  say('building the site ...');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: site, stdio: 'inherit' });
}

async function waitForSite(): Promise<boolean> {
  try {
    return (await fetch(`${siteUrl}/health/live`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function waitForGateway(isStopping: () => boolean): Promise<boolean> {
  while (Date.now() - startedAt < readyWithinMs && !isStopping()) {
    try {
      const response = await fetch(`${gatewayUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok && (await waitForSite())) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

async function main() {
  await checkInfrastructure();
  await checkPorts();
  await ensureDatabaseExists(adminUrl, databaseName);
  await provisionDatabase({ adminUrl, database: databaseName, services: serviceDatabases });
  say(`database "${databaseName}" ready: one schema and one role per service`);
  buildSiteIfStale();

  const group = createProcessGroup();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping every process ...');
    await group.stopAll();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development', FORCE_COLOR: '0' };
  // If this script is killed outright, every child stops itself (see the preload).
  const exitWithParent = ['--import', join(root, 'scripts', 'lib', 'exit-with-parent.ts')];
  for (const p of platformProcesses) {
    const args = [...exitWithParent, ...(p.traced ? ['--import', '@twenny/telemetry/register'] : []), ...p.args];
    const child = group.start(p.name, process.execPath, args, { cwd: `${root}/${p.cwd}`, env: { ...env, OTEL_SERVICE_NAME: p.name, ...processEnv(p, layout, process.env) } });
    void child.exited.then((code) => {
      if (!stopping) {
        say(`${p.name} exited unexpectedly (code ${code}); stopping the rest.`);
        void stop(1);
      }
    });
  }

  if (!(await waitForGateway(() => stopping))) {
    if (!stopping) {
      say(`not every service was ready within ${readyWithinMs / 1000} s; see the logs above.`);
      await stop(1);
    }
    return;
  }
  if ((process.env.SEED_DEMO_ACCOUNTS ?? 'true') === 'true') {
    try {
      const seeded = await seedDemoEvents(gatewayUrl);
      if (seeded > 0) {
        say(`published ${seeded} demo events for the demo team`);
        const tickets = await seedDemoOrders(gatewayUrl);
        say(`the demo attendee bought ${tickets} tickets`);
      }
    } catch (error) {
      say(`could not seed the demo events: ${(error as Error).message}`);
    }
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(`\x1b[32mready in ${seconds} s\x1b[0m
      site            ${siteUrl}
      API gateway     ${gatewayUrl}    (platform health: ${gatewayUrl}/health)
      services        ${platformProcesses.filter((p) => p.name !== 'site' && p.name !== 'gateway').map((p) => `${p.name} :${portOf(p, layout)}`).join('  ')}
      API docs        ${gatewayUrl}/api/docs
      demo accounts   ${Object.values(demoAccounts).map((a) => a.email).join(', ')}
                      password: ${demoPassword}
      Ctrl-C stops everything.`);
}

await main();
