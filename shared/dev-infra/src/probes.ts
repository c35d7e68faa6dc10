import amqp from 'amqplib';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { safeUrl } from '@twenny/logger';

export type ProbeResult = { ok: true } | { ok: false; error: string };

const timeoutMs = 3_000;

async function attempt(work: () => Promise<unknown>): Promise<ProbeResult> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message || String(error) };
  }
}

export function probePostgres(url: string): Promise<ProbeResult> {
  return attempt(async () => {
    const sql = postgres(url, { max: 1, connect_timeout: timeoutMs / 1000, onnotice: () => {} });
    try {
      await sql`select 1`;
    } finally {
      await sql.end({ timeout: 1 });
    }
  }).then((r) => (r.ok ? r : { ok: false, error: `${safeUrl(url)}: ${r.error}` }));
}

export function probeRedis(url: string): Promise<ProbeResult> {
  return attempt(async () => {
    const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  }).then((r) => (r.ok ? r : { ok: false, error: `${safeUrl(url)}: ${r.error}` }));
}

export function probeRabbitmq(url: string): Promise<ProbeResult> {
  return attempt(async () => {
    const connection = await amqp.connect(url, { timeout: timeoutMs });
    await connection.close();
  }).then((r) => (r.ok ? r : { ok: false, error: `${safeUrl(url)}: ${r.error}` }));
}
