/**
 * vitest globalSetup of the browser tests: the whole platform as `npm start`
 * runs it (scripts/start.ts, demo accounts and events included), on ports
 * shifted by 100 so a developer's own `npm start` can keep running, in a fresh
 * database, broker prefix and Redis prefix, with holds that last 30 s so a test
 * can watch one expire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { deleteRedisKeys, deleteTestTopology, infrastructure } from '@twenny/testing';
import { browserPlatform, outputDir } from './settings.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const readyWithinMs = 240_000;

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
    gatewayUrl: string;
    holdSeconds: number;
  }
}

async function dropDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

async function clean(infra: { adminDatabaseUrl: string; redisUrl: string; amqpUrl: string }) {
  await dropDatabase(infra.adminDatabaseUrl, browserPlatform.databaseName);
  await deleteRedisKeys(infra.redisUrl, browserPlatform.redisPrefix);
  await deleteTestTopology(infra.amqpUrl, browserPlatform.amqpPrefix);
}

function waitUntilReady(child: ChildProcess, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the platform was not ready within ${readyWithinMs / 1000} s:\n${log.slice(-40).join('')}`)), readyWithinMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready in')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (code ${code}) before it was ready:\n${log.slice(-40).join('')}`));
    });
  });
}

export default async function setup(project: TestProject) {
  const infra = await infrastructure();
  await clean(infra);
  mkdirSync(outputDir, { recursive: true });
  const mediaDir = mkdtempSync(join(tmpdir(), 'twenny-browser-media-'));
  const logFile = createWriteStream(join(outputDir, 'platform.log'));
  const log: string[] = [];
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PLATFORM_PORT_OFFSET: String(browserPlatform.portOffset),
      DATABASE_NAME: browserPlatform.databaseName,
      DATABASE_ADMIN_URL: infra.adminDatabaseUrl,
      REDIS_URL: infra.redisUrl,
      AMQP_URL: infra.amqpUrl,
      REDIS_PREFIX: browserPlatform.redisPrefix,
      AMQP_PREFIX: browserPlatform.amqpPrefix,
      ORDER_HOLD_SECONDS: String(browserPlatform.holdSeconds),
      MEDIA_STORAGE_DIR: mediaDir,
      SEED_DEMO_ACCOUNTS: 'true',
      NODE_ENV: 'development',
    },
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      logFile.write(chunk);
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilReady(child, log);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  }
  project.provide('siteUrl', browserPlatform.siteUrl);
  project.provide('gatewayUrl', browserPlatform.gatewayUrl);
  project.provide('holdSeconds', browserPlatform.holdSeconds);

  return async () => {
    child.kill('SIGTERM');
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (giveUp = setTimeout(resolve, 30_000)))]);
    clearTimeout(giveUp);
    if (child.exitCode === null) child.kill('SIGKILL');
    child.stdout!.destroy();
    child.stderr!.destroy();
    logFile.end();
    rmSync(mediaDir, { recursive: true, force: true });
    await clean(infra).catch(() => undefined);
  };
}
