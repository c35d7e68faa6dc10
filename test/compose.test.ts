/**
 * docker-compose.yml, deploy/postgres/init.sql and the Dockerfile, checked statically
 * against what the processes need: their config schemas, their database roles and the
 * list of processes `npm start` runs. No Docker needed.
 *
 * Each check collects every problem it finds and fails with the whole list, each
 * entry naming the compose service and the variable or key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchemaOf, connectionVariable, deployedNameOf, frontend, loopbackHost, publicOriginVariable } from './platform-config.ts';
import { platformProcesses, type PlatformProcess } from '../scripts/lib/platform-processes.ts';
import { serviceDatabases } from '../shared/db/src/index.ts';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

// --- what the processes need (see also ./platform-config.ts) ----------------------

const infrastructure = ['postgres', 'redis', 'rabbitmq'] as const;

/** Which compose service a connection variable must point at, and on which port. */
const infrastructureUrls: Record<string, { image: string; port: number }> = {
  DATABASE_URL: { image: 'postgres', port: 5432 },
  AMQP_URL: { image: 'rabbitmq', port: 5672 },
  REDIS_URL: { image: 'redis', port: 6379 },
};

// --- reading compose --------------------------------------------------------------

type EnvValue = string | number | boolean | null;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, EnvValue> | string[] };
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { target?: string; source?: string })[];
}
interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// YAML merge keys (`<<: *anchor`) are how the file avoids repetition; compose supports them.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services = compose.services ?? {};

/**
 * Compose's `${VAR:-default}` / `${VAR-default}` interpolation, resolved to the
 * default (the test must not depend on the shell running it). A `${VAR}` without a
 * default is left in place, so it fails every URL or port check that meets it.
 */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}/g, (_match, _name: string, fallback: string) => fallback)
    .replaceAll('$$', '$');
}

/** Compose's list (`KEY=VALUE`) or map form, as strings; `KEY` alone (host pass-through) counts as unset. */
function toStringMap(entries: Record<string, EnvValue> | string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (Array.isArray(entries)) {
    for (const entry of entries) {
      const at = entry.indexOf('=');
      if (at > 0) result[entry.slice(0, at)] = interpolate(entry.slice(at + 1));
    }
  } else if (entries) {
    for (const [key, value] of Object.entries(entries)) {
      if (value !== null && value !== undefined) result[key] = interpolate(String(value));
    }
  }
  return result;
}

const environmentOf = (name: string) => toStringMap(services[name]?.environment);
const buildOf = (name: string) => {
  const build = services[name]?.build;
  return typeof build === 'string' ? { context: build, dockerfile: undefined, args: {} } : { ...build, args: toStringMap(build?.args) };
};

/**
 * The environment the container sees: what the Dockerfile's runtime stage sets
 * (NODE_ENV=production, PORT from the PORT build argument), then compose's.
 */
function containerEnvironmentOf(name: string): Record<string, string> {
  const { PORT } = buildOf(name).args;
  return { NODE_ENV: 'production', ...(PORT ? { PORT } : {}), ...environmentOf(name) };
}

/** The parsed config of an app service, or undefined when its environment does not parse. */
function configOf(name: string): Record<string, unknown> | undefined {
  const schema = configSchemaOf[name];
  if (!schema) return undefined;
  const parsed = schema.safeParse(containerEnvironmentOf(name));
  return parsed.success ? parsed.data : undefined;
}

/** The HTTP port a process listens on (health included): the worker's is WORKER_PORT. */
function listeningPortOf(name: string): number | undefined {
  if (name === frontend) {
    const port = Number(environmentOf(name).PORT ?? processOf(name)?.port ?? 3000);
    return Number.isInteger(port) ? port : undefined;
  }
  const config = configOf(name);
  if (!config) return undefined;
  const port = 'WORKER_PORT' in (configSchemaOf[name]?.shape ?? {}) ? config.WORKER_PORT : config.PORT;
  return typeof port === 'number' ? port : undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };
const portOf = (url: URL) => (url.port ? Number(url.port) : (defaultPorts[url.protocol] ?? infrastructurePortOf(url.protocol)));
const infrastructurePortOf = (protocol: string) =>
  ({ 'postgres:': 5432, 'postgresql:': 5432, 'amqp:': 5672, 'redis:': 6379 })[protocol];

/** The compose services whose image is `image` (any tag). */
const servicesWithImage = (image: string) =>
  Object.entries(services)
    .filter(([, service]) => service.image === image || service.image?.startsWith(`${image}:`))
    .map(([name]) => name);

/** Where a connection variable must point: a compose service and the port it serves. */
function expectedTargetOf(variable: string): { hosts: string[]; port: number | undefined } | undefined {
  const infra = infrastructureUrls[variable];
  if (infra) return { hosts: servicesWithImage(infra.image), port: infra.port };
  const upstream = /^([A-Z]+)_SERVICE_URL$/.exec(variable);
  if (upstream?.[1]) {
    const target = `${upstream[1].toLowerCase()}-service`;
    return { hosts: [target], port: listeningPortOf(target) };
  }
  if (variable === 'GATEWAY_URL') return { hosts: ['gateway'], port: listeningPortOf('gateway') };
  return undefined;
}

/** Every twenny process in compose: the platform processes, and the site in any case. */
const appServiceNames = () => [...new Set([...platformProcesses.map((p) => deployedNameOf[p.name]), frontend])].filter((n): n is string => n !== undefined);
/** The processes built from the root Dockerfile, each with a zod config schema. */
const backendServiceNames = () => appServiceNames().filter((n) => n !== frontend);
const processOf = (name: string): PlatformProcess | undefined => platformProcesses.find((p) => deployedNameOf[p.name] === name);

/** The init.sql password of each role it creates. */
function initSqlPasswords(sql: string): Map<string, string> {
  const passwords = new Map<string, string>();
  for (const match of sql.matchAll(/create\s+role\s+"?([a-z_][a-z0-9_]*)"?\s+(?:with\s+)?login\s+password\s+'((?:[^']|'')*)'/gi)) {
    if (match[1] && match[2] !== undefined) passwords.set(match[1], match[2].replaceAll("''", "'"));
  }
  return passwords;
}

// --- the checks -------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('has a service for every platform process, the frontend and the infrastructure', () => {
    const problems: string[] = [];
    for (const p of platformProcesses) {
      const name = deployedNameOf[p.name];
      if (!name) problems.push(`platform process "${p.name}" has no compose service: map it in deployedNameOf (test/compose.test.ts) and add it to docker-compose.yml`);
      else if (!services[name]) problems.push(`${name}: missing (runs platform process "${p.name}")`);
      else if (name !== frontend && !configSchemaOf[name]) problems.push(`${name}: no config schema registered in configSchemaOf (test/platform-config.ts)`);
    }
    for (const name of [...infrastructure, frontend]) if (!services[name] && !problems.some((p) => p.startsWith(`${name}: missing`))) problems.push(`${name}: missing`);
    expect(problems).toEqual([]);
  });

  it('defines a healthcheck on every service; processes check a health route on their own port', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test;
      const command = Array.isArray(test) ? test.join(' ') : (test ?? '');
      if (!command || service.healthcheck?.disable || command === 'NONE' || test?.[0] === 'NONE') {
        problems.push(`${name}: no healthcheck`);
        continue;
      }
      if (!appServiceNames().includes(name)) continue;
      const port = listeningPortOf(name);
      // An environment that does not parse has no port; the schema check reports it.
      if (port === undefined) continue;
      const route = new RegExp(`//(?:127\\.0\\.0\\.1|localhost):${port}(/health/[a-z]+)`).exec(command)?.[1];
      if (name === frontend) {
        // The site's health routes are SvelteKit endpoints: the one checked must exist.
        const exists = ['ts', 'js'].some((ext) => existsSync(new URL(`frontend/src/routes${route}/+server.${ext}`, root)));
        if (!route || !exists) problems.push(`${name}: healthcheck must fetch a health route the site serves (frontend/src/routes/health/*/+server.ts) on port ${port}, has: ${command}`);
      } else if (route !== '/health/ready') {
        problems.push(`${name}: healthcheck must fetch /health/ready on port ${port} (the port it listens on), has: ${command}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds each process from the root Dockerfile with its folder, entry and port', () => {
    const problems: string[] = [];
    for (const name of backendServiceNames()) {
      const p = processOf(name);
      if (!p || !services[name]) continue;
      const { context, dockerfile, args } = buildOf(name);
      const entry = p.args[0] ?? 'src/main.ts';
      if (context !== '.') problems.push(`${name}: build.context must be "." (the repository root), is ${context}`);
      if ((dockerfile ?? 'Dockerfile') !== 'Dockerfile') problems.push(`${name}: build.dockerfile must be the root Dockerfile, is ${dockerfile}`);
      if (args.SERVICE !== p.cwd) problems.push(`${name}: build arg SERVICE must be "${p.cwd}", is ${args.SERVICE}`);
      if ((args.ENTRY ?? 'src/main.ts') !== entry) problems.push(`${name}: build arg ENTRY must be "${entry}", is ${args.ENTRY ?? 'unset (src/main.ts)'}`);
      const port = listeningPortOf(name);
      if (port !== undefined && Number(args.PORT) !== port) problems.push(`${name}: build arg PORT (the image's HEALTHCHECK port) must be ${port}, the port it listens on; is ${args.PORT}`);
    }
    if (services[frontend] && buildOf(frontend).dockerfile !== 'frontend/Dockerfile') problems.push(`${frontend}: build.dockerfile must be frontend/Dockerfile`);
    expect(problems).toEqual([]);
  });

  it("gives every process an environment its config schema accepts", () => {
    const problems: string[] = [];
    for (const name of backendServiceNames()) {
      const schema = configSchemaOf[name];
      if (!schema || !services[name]) continue;
      const parsed = schema.safeParse(containerEnvironmentOf(name));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.path.map(String).join('.') || '(environment)'}: ${issue.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('sets every connection URL explicitly, to a compose host, never a localhost default', () => {
    const problems: string[] = [];
    for (const name of backendServiceNames()) {
      const schema = configSchemaOf[name];
      if (!schema || !services[name]) continue;
      const environment = environmentOf(name);
      for (const [variable, field] of Object.entries(schema.shape)) {
        const fallback = field.safeParse(undefined);
        const loopbackDefault = fallback.success && typeof fallback.data === 'string' && loopbackHost.test(parseUrl(fallback.data)?.hostname ?? '');
        if (publicOriginVariable.test(variable) || (!connectionVariable.test(variable) && !loopbackDefault)) continue;

        const value = environment[variable];
        if (value === undefined) {
          problems.push(`${name}: ${variable} is not set, so it would default to ${fallback.success ? String(fallback.data) : 'nothing'}, which is wrong inside a container`);
          continue;
        }
        const url = parseUrl(value);
        if (!url) {
          problems.push(`${name}: ${variable} is not a URL: ${value}`);
          continue;
        }
        if (loopbackHost.test(url.hostname)) {
          problems.push(`${name}: ${variable} points at ${url.hostname}, which inside a container is the container itself`);
          continue;
        }
        const expected = expectedTargetOf(variable);
        if (expected) {
          if (!expected.hosts.includes(url.hostname)) problems.push(`${name}: ${variable} must point at ${expected.hosts.join(' or ') || 'a compose service that does not exist'}, points at ${url.hostname}`);
          else if (expected.port !== undefined && portOf(url) !== expected.port) problems.push(`${name}: ${variable} must use port ${expected.port} (where ${url.hostname} listens), uses ${portOf(url)}`);
        } else if (!services[url.hostname]) {
          problems.push(`${name}: ${variable} points at ${url.hostname}, which is not a compose service`);
        }
      }
    }
    const gatewayUrl = environmentOf(frontend).GATEWAY_URL;
    const url = gatewayUrl === undefined ? undefined : parseUrl(gatewayUrl);
    if (!services[frontend]) {
      // reported by the first check
    } else if (!url) problems.push(`${frontend}: GATEWAY_URL must be set to the gateway's URL, is ${gatewayUrl}`);
    else if (url.hostname !== 'gateway' || portOf(url) !== listeningPortOf('gateway')) problems.push(`${frontend}: GATEWAY_URL must be http://gateway:${listeningPortOf('gateway')}, is ${gatewayUrl}`);
    expect(problems).toEqual([]);
  });

  it("connects each process to Postgres as its service's own role, with init.sql's password", () => {
    const problems: string[] = [];
    const passwords = initSqlPasswords(read('deploy/postgres/init.sql'));
    for (const name of backendServiceNames()) {
      const p = processOf(name);
      if (!p) continue;
      const value = environmentOf(name).DATABASE_URL;
      const owned = serviceDatabases.find((d) => d.service === p.cwd);
      if (!owned) {
        if (value !== undefined) problems.push(`${name}: sets DATABASE_URL but ${p.cwd} has no entry in serviceDatabases`);
        continue;
      }
      const url = value === undefined ? undefined : parseUrl(value);
      if (!url) {
        problems.push(`${name}: DATABASE_URL must be set (role ${owned.role}), is ${value}`);
        continue;
      }
      const user = decodeURIComponent(url.username);
      if (user !== owned.role) problems.push(`${name}: DATABASE_URL must connect as ${owned.role} (the role that owns schema ${owned.schema}), connects as ${user || 'nobody'}`);
      if (url.pathname !== '/twenny') problems.push(`${name}: DATABASE_URL must name database twenny, names ${url.pathname.slice(1) || 'none'}`);
      const password = passwords.get(owned.role);
      if (user === owned.role && password !== undefined && decodeURIComponent(url.password) !== password) problems.push(`${name}: DATABASE_URL password for ${owned.role} differs from the one deploy/postgres/init.sql creates`);
    }
    expect(problems).toEqual([]);
  });

  it('sets NODE_ENV=production and OTEL_SERVICE_NAME on every process', () => {
    const problems: string[] = [];
    for (const name of appServiceNames()) {
      if (!services[name]) continue;
      const environment = environmentOf(name);
      if (environment.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV must be production, is ${environment.NODE_ENV}`);
      if (!environment.OTEL_SERVICE_NAME) problems.push(`${name}: OTEL_SERVICE_NAME is not set`);
    }
    const names = appServiceNames().map((n) => environmentOf(n).OTEL_SERVICE_NAME);
    const duplicates = names.filter((n, i) => n && names.indexOf(n) !== i);
    if (duplicates.length > 0) problems.push(`OTEL_SERVICE_NAME used by more than one process: ${duplicates.join(', ')}`);
    expect(problems).toEqual([]);
  });

  it('waits only on healthy dependencies, and on everything a process connects to at start', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = service.depends_on;
      if (Array.isArray(dependsOn)) {
        problems.push(`${name}: depends_on must be a map with condition: service_healthy (the list form only waits for the container to start)`);
        continue;
      }
      for (const [target, options] of Object.entries(dependsOn ?? {})) {
        if (!services[target]) problems.push(`${name}: depends_on ${target}, which is not a compose service`);
        if (options?.condition !== 'service_healthy') problems.push(`${name}: depends_on ${target} must use condition: service_healthy, uses ${options?.condition ?? 'none'}`);
      }
    }
    // What each process connects to before it is ready: its database, Redis, the
    // services it proxies to; and the broker for services (startService, src/main.ts).
    for (const name of appServiceNames()) {
      const service = services[name];
      if (!service) continue;
      const dependsOn = Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {});
      const environment = environmentOf(name);
      const startsBus = processOf(name)?.args[0] === 'src/main.ts' && 'AMQP_URL' in (configSchemaOf[name]?.shape ?? {});
      for (const [variable, value] of Object.entries(environment)) {
        const needed = /^(DATABASE_URL|REDIS_URL|GATEWAY_URL|[A-Z]+_SERVICE_URL)$/.test(variable) || (variable === 'AMQP_URL' && startsBus);
        const host = needed ? parseUrl(value)?.hostname : undefined;
        if (host && services[host] && !(host in dependsOn)) problems.push(`${name}: must depend_on ${host} (condition: service_healthy): it connects to it through ${variable}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('mounts a volume wherever a process keeps files (MEDIA_STORAGE_DIR)', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const dir = environmentOf(name).MEDIA_STORAGE_DIR;
      if (dir === undefined) continue;
      const targets = (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
      if (!targets.includes(dir)) problems.push(`${name}: MEDIA_STORAGE_DIR=${dir} is not a mounted volume, so uploads are lost with the container (and the root filesystem is read-only)`);
    }
    if (!environmentOf('media-service').MEDIA_STORAGE_DIR) problems.push('media-service: MEDIA_STORAGE_DIR is not set');
    expect(problems).toEqual([]);
  });
});

describe('deploy/postgres/init.sql', () => {
  const sql = read('deploy/postgres/init.sql');
  const ident = (name: string) => `"?${name}"?`;
  const has = (pattern: string) => new RegExp(pattern.replaceAll(' ', '\\s+'), 'i').test(sql);

  it('is what the postgres service runs at initialisation', () => {
    const volumes = services.postgres?.volumes ?? [];
    const mounted = volumes.some((v) => typeof v === 'string' && /^\.\/deploy\/postgres\/init\.sql:\/docker-entrypoint-initdb\.d\/[^:]+\.sql(:ro)?$/.test(v));
    expect(mounted, 'postgres: mount ./deploy/postgres/init.sql into /docker-entrypoint-initdb.d/').toBe(true);
    expect(has(`create database ${ident('twenny')}`), 'init.sql: create database twenny').toBe(true);
  });

  it('creates every role and schema in serviceDatabases, as provisionDatabase does', () => {
    const problems: string[] = [];
    const passwords = initSqlPasswords(sql);
    for (const { service, role, schema } of serviceDatabases) {
      const r = ident(role);
      const s = ident(schema);
      const required: [string, string][] = [
        [`create role ${r} (with )?login password '`, `create login role ${role} with a password`],
        [`revoke create, temporary on database ${ident('twenny')} from ${r}`, `revoke create and temporary on database twenny from ${role}`],
        [`grant connect on database ${ident('twenny')} to ${r}`, `grant connect on database twenny to ${role}`],
        [`create schema if not exists ${s} authorization ${r}`, `create schema ${schema} owned by ${role}`],
        [`alter schema ${s} owner to ${r}`, `make ${role} the owner of an existing schema ${schema}`],
        [`revoke all on schema ${s} from public`, `revoke all on schema ${schema} from public`],
        [`alter role ${r} in database ${ident('twenny')} set search_path = ${s}`, `set ${role}'s search_path to ${schema}`],
      ];
      for (const [pattern, what] of required) if (!has(pattern)) problems.push(`${service}: init.sql must ${what}`);
      if (!passwords.has(role)) problems.push(`${service}: init.sql gives ${role} no password`);
    }
    for (const [pattern, what] of [
      [`revoke all on database ${ident('twenny')} from public`, 'revoke all on database twenny from public'],
      ['revoke all on schema public from public', 'revoke all on schema public from public'],
    ]) {
      if (!has(pattern!)) problems.push(`init.sql must ${what}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const path = 'Dockerfile';

  it('exists, runs as a non-root user, from a node:24 base', () => {
    expect(existsSync(new URL(path, root)), 'Dockerfile at the repository root').toBe(true);
    const lines = read(path)
      .replace(/\\\r?\n/g, ' ')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    const problems: string[] = [];

    // ARG defaults declared before the first FROM may be used in FROM lines.
    const globalArgs = new Map<string, string>();
    const stages: string[] = [];
    let finalUser: string | undefined;
    for (const line of lines) {
      const [instruction = '', ...rest] = line.split(/\s+/);
      const upper = instruction.toUpperCase();
      if (upper === 'ARG' && stages.length === 0) {
        const [key = '', value = ''] = rest.join(' ').split('=');
        globalArgs.set(key, value);
      }
      if (upper === 'FROM') {
        const image = rest.filter((word) => !word.startsWith('--'))[0] ?? '';
        const resolved = image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, key: string) => globalArgs.get(key) ?? '');
        if (!stages.includes(resolved) && !/^node:24([.-]|$)/.test(resolved)) problems.push(`Dockerfile: FROM ${image} (${resolved || 'unresolved'}) is not a node:24 image`);
        const alias = /\bAS\s+(\S+)/i.exec(line)?.[1];
        if (alias) stages.push(alias);
        finalUser = undefined;
      }
      if (upper === 'USER') finalUser = rest[0];
    }
    if (stages.length === 0 && !lines.some((l) => /^FROM\s/i.test(l))) problems.push('Dockerfile: no FROM');
    if (!finalUser) problems.push('Dockerfile: the final stage sets no USER, so it runs as root');
    else if (/^(root|0)(:|$)/.test(finalUser)) problems.push(`Dockerfile: the final stage runs as ${finalUser}`);
    const text = lines.join('\n');
    if (!/^ARG ENTRY=src\/main\.ts$/m.test(text)) problems.push('Dockerfile: ARG ENTRY must default to src/main.ts');
    if (!/^ARG SERVICE$/m.test(text)) problems.push('Dockerfile: ARG SERVICE (the service folder) is missing');
    if (!/^WORKDIR \/app\/\$\{?SERVICE\}?$/m.test(text)) problems.push('Dockerfile: WORKDIR /app/${SERVICE} is missing');
    if (!/^HEALTHCHECK\s.*\/health\/live/m.test(text)) problems.push('Dockerfile: HEALTHCHECK on /health/live is missing');
    if (!/^CMD\s.*node --import @twenny\/telemetry\/register/m.test(text)) problems.push('Dockerfile: CMD must start node with --import @twenny/telemetry/register');
    if (!/^ENV\s.*NODE_ENV=production/m.test(text)) problems.push('Dockerfile: ENV NODE_ENV=production is missing');
    expect(problems).toEqual([]);
  });
});
