/**
 * npm run bench:media — a batch of 12-megapixel photos through media-service,
 * against raw sharp making the same variants in the same run:
 *   (ours) media-service and its worker as `npm start` runs them, each a process
 *        of its own (telemetry preloaded, info logs; the worker at its nice
 *        value), on a database, bus prefix, Redis prefix and storage directory of
 *        the benchmark's own. The photos are uploaded over HTTP (4 at a time, as
 *        an organiser's browser might) and the clock runs from the first upload to
 *        the last image marked ready (the database's processed_at).
 *   (raw) sharp in a process of its own, the same images from memory, the same
 *        variants and settings, the same parallelism (MEDIA_WORKER_CONCURRENCY
 *        images at once, one libvips thread each) and the same nice value (on a
 *        shared machine both get the same share of the CPU), once before ours and
 *        once after; the ratio is against their mean (the machine drifts).
 * While ours runs, GET /health/ready and GET of a variant are sent to
 * media-service ~20 times a second each; their latency is compared with the same
 * probes on the idle service just before. The same probes run while raw sharp
 * does, so that both share the machine with the same extra load. Printed, never
 * asserted.
 *
 * Flags: --images (24), --concurrency (the worker's MEDIA_WORKER_CONCURRENCY;
 * its default), --nice (MEDIA_WORKER_NICE; its default), --avif-effort
 * (MEDIA_AVIF_EFFORT; its default), --uploads (4 at a time).
 */
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '@twenny/config';
import { connectDatabase } from '@twenny/db';
import { createTestDatabase, createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, uniquePrefix, waitFor } from '@twenny/testing';
import { workerConfigSchema } from '../media-service/src/config.ts';
import { encoderSettings } from '../media-service/src/processing/render-variants.ts';
import { children, cpuSeconds, freePort, repoRoot, stopChildren, untilReady, type Started } from './lib/processes.ts';
import type { RawRequest, RawResult } from './lib/media-raw.ts';
import { f, row } from './lib/report.ts';

const { values: flags } = parseArgs({
  options: {
    images: { type: 'string', default: '24' },
    concurrency: { type: 'string' },
    nice: { type: 'string' },
    'avif-effort': { type: 'string' },
    uploads: { type: 'string', default: '4' },
  },
});
const imageCount = Math.max(2, Number(flags.images));
const uploadsAtOnce = Math.max(1, Number(flags.uploads));
const targetRatio = 0.8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const progress = (text: string) => void (process.stderr.isTTY ? process.stderr.write(`\r${text}`.padEnd(90)) : process.stderr.write(`${text}\n`));
const clearProgress = () => void (process.stderr.isTTY && process.stderr.write(`\r${' '.repeat(90)}\r`));

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? NaN };
}

/** The photos, made in two worker threads (the pixel loop is JavaScript). */
async function makePhotos(count: number): Promise<Buffer[]> {
  const photos: Buffer[] = new Array(count);
  const threads = Math.min(2, availableParallelism());
  let made = 0;
  await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const seeds = Array.from({ length: count }, (_, i) => i).filter((i) => i % threads === t);
      const worker = new Worker(new URL('./lib/media-photos.ts', import.meta.url), { workerData: { seeds } });
      return new Promise<void>((resolve, reject) => {
        worker.on('message', ({ seed, photo }: { seed: number; photo: Uint8Array }) => {
          photos[seed] = Buffer.from(photo.buffer, photo.byteOffset, photo.byteLength);
          progress(`making ${count} photos of 12 MP: ${++made}`);
        });
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`photo worker exited with ${code}`))));
      });
    }),
  );
  return photos;
}

const infra = await infrastructure();
const database = await createTestDatabase();
const issuer = await createTestIssuer();
const jwks = await issuer.serve();
const prefix = uniquePrefix();
const amqpPrefix = `${prefix}.`;
const redisPrefix = `${prefix}-media`;
const storageDir = await mkdtemp(join(tmpdir(), 'twenny-bench-media-'));
const ports = { service: await freePort(), worker: await freePort() };
const env: Record<string, string> = {
  LOG_LEVEL: 'info',
  DATABASE_URL: database.urlFor('media-service'),
  AMQP_URL: infra.amqpUrl,
  AMQP_PREFIX: amqpPrefix,
  REDIS_URL: infra.redisUrl,
  REDIS_PREFIX: redisPrefix,
  AUTH_JWKS_URL: jwks.url,
  AUTH_JWT_ISSUER: issuer.issuer,
  AUTH_JWT_AUDIENCE: issuer.audience,
  MEDIA_STORAGE_DIR: storageDir,
  PORT: String(ports.service),
  WORKER_PORT: String(ports.worker),
  ...(flags.concurrency && { MEDIA_WORKER_CONCURRENCY: flags.concurrency }),
  ...(flags.nice && { MEDIA_WORKER_NICE: flags.nice }),
  ...(flags['avif-effort'] && { MEDIA_AVIF_EFFORT: flags['avif-effort'] }),
};
// What the worker runs with: its own schema's defaults for whatever is not set here.
const workerConfig = loadConfig(workerConfigSchema, env);
const concurrency = workerConfig.MEDIA_WORKER_CONCURRENCY;
const pool = connectDatabase({ url: database.urlFor('media-service'), max: 2, applicationName: 'bench-media' });
const sql = pool.sql;
const serviceUrl = `http://127.0.0.1:${ports.service}`;

/** A media process as `npm start` runs it (telemetry preloaded); its JSON log lines go to `lines`. */
function startMediaProcess(entry: string, lines: Array<Record<string, unknown>>): Started {
  const child = spawn(process.execPath, ['--import', '@twenny/telemetry/register', entry], {
    cwd: `${repoRoot}/media-service`,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      stderr.push(line);
    }
  });
  return { child, stderr };
}

/** Probes `url` every `everyMs` (on a fixed schedule: a slow answer does not thin the samples) until stopped; latencies in ms. */
function probe(url: string, everyMs = 50) {
  const latencies: number[] = [];
  let failures = 0;
  let stopped = false;
  const running = (async () => {
    for (let next = performance.now(); !stopped; next += everyMs) {
      await sleep(next - performance.now());
      const started = performance.now();
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - started);
        else failures++;
      } catch {
        failures++;
      }
    }
  })();
  return async () => {
    stopped = true;
    await running;
    return { ...percentiles(latencies), failures };
  };
}

async function upload(token: string, organizationId: string, photo: Buffer, name: string): Promise<{ id: string; ms: number }> {
  const form = new FormData();
  form.append('organizationId', organizationId);
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), name);
  const started = performance.now();
  const response = await fetch(`${serviceUrl}/api/media/images`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return { id: body.id, ms: performance.now() - started };
}

const cleanup = async () => {
  await stopChildren();
  await jwks.close().catch(() => undefined);
  await pool.close().catch(() => undefined);
  await deleteTestTopology(infra.amqpUrl, amqpPrefix).catch(() => undefined);
  await deleteRedisKeys(infra.redisUrl, redisPrefix).catch(() => undefined);
  await database.drop().catch(() => undefined);
  await rm(storageDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  const photos = await makePhotos(imageCount);
  const totalBytes = photos.reduce((sum, p) => sum + p.length, 0);
  const raw = { avifEffort: workerConfig.MEDIA_AVIF_EFFORT, webpQuality: encoderSettings.webp.quality, avifQuality: encoderSettings.avif.quality };

  progress('starting media-service and media-worker');
  const serviceLog: Array<Record<string, unknown>> = [];
  const workerLog: Array<Record<string, unknown>> = [];
  const service = startMediaProcess('src/main.ts', serviceLog);
  await untilReady('media-service', `${serviceUrl}/health/ready`, service);
  const worker = startMediaProcess('src/worker.ts', workerLog);
  await untilReady('media-worker', `http://127.0.0.1:${ports.worker}/health/ready`, worker);

  const organizationId = randomUUID();
  const token = await issuer.sign({ sub: randomUUID(), orgs: [{ id: organizationId, role: 'owner' }] });
  // Warm-up, and the variant the probes fetch: one photo through the service.
  const warm = await upload(token, organizationId, photos[0]!, 'warm-up.jpg');
  await waitFor('the warm-up image', async () => ((await sql`select status from media.images where id = ${warm.id}`)[0]?.status === 'ready'), { timeoutMs: 60_000, intervalMs: 100 });
  const variantUrl = `${serviceUrl}/media/${warm.id}/800.webp`;
  // The baseline in a process of its own at the worker's nice value (see lib/media-raw.ts).
  const rawChild = fork(new URL('./lib/media-raw.ts', import.meta.url), { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(rawChild);
  const runRaw = (request: RawRequest) =>
    new Promise<RawResult>((resolve, reject) => {
      rawChild.once('message', (result) => resolve(result as RawResult));
      rawChild.once('exit', (code) => reject(new Error(`the raw sharp process exited with ${code}`)));
      rawChild.send(request);
    });
  progress('raw sharp: warm-up');
  await runRaw({ photos: photos.map((p) => new Uint8Array(p)), concurrency, settings: raw, nice: workerConfig.MEDIA_WORKER_NICE, count: concurrency });

  // The probes run during the baseline too: they are the conditions of the measurement
  // (their CPU is taken at nice 0 from whatever runs at the worker's nice), not the service's overhead.
  const measureRaw = async (label: string) => {
    progress(`raw sharp: ${imageCount} photos, ${concurrency} at once (${label})`);
    const probes = [probe(`${serviceUrl}/health/ready`), probe(variantUrl)];
    const result = await runRaw({ concurrency, settings: raw, nice: workerConfig.MEDIA_WORKER_NICE });
    const [ready, variant] = await Promise.all(probes.map((stop) => stop()));
    return { ...result, ready: ready!, variant: variant! };
  };
  const rawBefore = await measureRaw('before');

  progress('probing the idle service');
  const idleReady = probe(`${serviceUrl}/health/ready`);
  const idleVariant = probe(variantUrl);
  await sleep(4000);
  const idle = { ready: await idleReady(), variant: await idleVariant() };

  progress(`ours: uploading ${imageCount} photos, ${uploadsAtOnce} at a time; the worker makes ${concurrency} at once`);
  const loadBefore = loadavg()[0]!;
  const busyReady = probe(`${serviceUrl}/health/ready`);
  const busyVariant = probe(variantUrl);
  const cpuBefore = { worker: cpuSeconds(worker.child.pid), service: cpuSeconds(service.child.pid) };
  const benchCpu = process.cpuUsage();
  const [{ start }] = (await sql`select clock_timestamp() as start`) as unknown as [{ start: Date }];
  const uploads: Array<{ id: string; ms: number }> = [];
  const uploadStarted = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: uploadsAtOnce }, async () => {
    while (next < photos.length) {
      const i = next++;
      uploads.push(await upload(token, organizationId, photos[i]!, `photo-${i}.jpg`));
    }
  }));
  const uploadedAt = performance.now();
  const ids = uploads.map((u) => u.id);
  const settled = await waitFor('every photo processed', async () => {
    const rows = (await sql`select status, count(*)::int as count, max(processed_at) as last from media.images where id in ${sql(ids)} and status <> 'processing' group by status`) as unknown as Array<{ status: string; count: number; last: Date }>;
    return rows.reduce((sum, r) => sum + r.count, 0) === ids.length ? rows : undefined;
  }, { timeoutMs: 600_000, intervalMs: 100 });
  const cpuAfter = { worker: cpuSeconds(worker.child.pid), service: cpuSeconds(service.child.pid) };
  const benchUsed = process.cpuUsage(benchCpu);
  const busy = { ready: await busyReady(), variant: await busyVariant() };
  const ready = settled.find((r) => r.status === 'ready');
  const [{ variants: oursVariants }] = (await sql`select count(*)::int as variants from media.variants where image_id in ${sql(ids)}`) as unknown as [{ variants: number }];
  const oursSeconds = (Math.max(...settled.map((r) => new Date(r.last).getTime())) - new Date(start).getTime()) / 1000;
  const [{ bytes: variantBytes }] = (await sql`select sum(bytes)::bigint as bytes from media.variants where image_id in ${sql(ids)}`) as unknown as [{ bytes: string }];

  const rawAfter = await measureRaw('after');
  clearProgress();

  // -------------------------------------------------------------------------
  const rawRate = (rawBefore.variants / rawBefore.seconds + rawAfter.variants / rawAfter.seconds) / 2;
  const oursRate = oursVariants / oursSeconds;
  const ratio = oursRate / rawRate;
  const uploadTimes = percentiles(uploads.map((u) => u.ms));
  const workerCpu = (cpuAfter.worker ?? NaN) - (cpuBefore.worker ?? NaN);
  const serviceCpu = (cpuAfter.service ?? NaN) - (cpuBefore.service ?? NaN);
  const formats = workerConfig.MEDIA_AVIF_EFFORT >= 0 ? `WebP (q${encoderSettings.webp.quality}) and AVIF (q${encoderSettings.avif.quality}, effort ${workerConfig.MEDIA_AVIF_EFFORT})` : `WebP (q${encoderSettings.webp.quality})`;

  console.log(`\nmedia benchmark — ${new Date().toISOString()} — node ${process.version}; media-service and media-worker as separate processes (telemetry preloaded, info logs), worker at nice ${workerConfig.MEDIA_WORKER_NICE}, ${concurrency} images at once`);
  console.log(`machine: ${availableParallelism()} cores, 1-minute load average ${f(loadBefore, 1)} before ours, ${f(loadavg()[0]!, 1)} at the end`);
  console.log(`batch: ${imageCount} photo-like JPEGs of 4000×3000 (12 MP; every third a phone portrait, EXIF orientation 6), ${f(totalBytes / 1_048_576, 1)} MiB in all; variants ${formats} at 400/800/1600 px, plus a placeholder and the dominant colour each`);
  console.log(`raw: sharp in a process of its own at the same nice value, the same photos from memory and the same operations, ${concurrency} images at once (one libvips thread each, no cache); once before ours, once after\n`);
  console.log(row(['path', 'variants', 'seconds', 'variants/s', 'CPU s', 'CPU ms per variant (sharp process)']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  const perVariant = (cpu: number, variants: number) => f((cpu * 1000) / variants);
  console.log(row(['(raw) sharp, before', f(rawBefore.variants), f(rawBefore.seconds, 2), f(rawBefore.variants / rawBefore.seconds, 2), f(rawBefore.cpuSeconds, 1), perVariant(rawBefore.cpuSeconds, rawBefore.variants)]));
  console.log(row(['(raw) sharp, after', f(rawAfter.variants), f(rawAfter.seconds, 2), f(rawAfter.variants / rawAfter.seconds, 2), f(rawAfter.cpuSeconds, 1), perVariant(rawAfter.cpuSeconds, rawAfter.variants)]));
  console.log(row(['(ours) upload → ready, through media-service and its worker', f(oursVariants), f(oursSeconds, 2), f(oursRate, 2), `worker ${f(workerCpu, 1)}, service ${f(serviceCpu, 1)}, this process (uploads, probes) ${f((benchUsed.user + benchUsed.system) / 1e6, 1)}`, perVariant(workerCpu, oursVariants)]));
  console.log(`\nratio ours / raw (mean of both): ${f(ratio, 2)} (target ≥ ${targetRatio}: ${ratio >= targetRatio ? 'met' : 'not met'}); ${ready?.count ?? 0} of ${imageCount} ready${settled.filter((r) => r.status !== 'ready').map((r) => `, ${r.count} ${r.status}`).join('')}; variants ${f(Number(variantBytes) / 1_048_576, 1)} MiB in all (${f(Number(variantBytes) / totalBytes * 100, 1)}% of the originals)`);
  console.log(`uploads (${uploadsAtOnce} at a time, each until its 202): p50 ${f(uploadTimes.p50)} ms, max ${f(uploadTimes.max)} ms; all ${imageCount} uploaded in ${f((uploadedAt - uploadStarted) / 1000, 2)} s, while the first were already being processed`);
  console.log(`\nlatency of media-service while the batch runs (probes ~20/s each, fixed schedule), against the idle service just before:\n`);
  console.log(row(['request', 'idle p50 ms', 'idle p99 ms', 'busy p50 ms', 'busy p99 ms', 'busy max ms', 'samples (busy)', 'failed']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  console.log(row(['GET /health/ready', f(idle.ready.p50, 1), f(idle.ready.p99, 1), f(busy.ready.p50, 1), f(busy.ready.p99, 1), f(busy.ready.max, 1), f(busy.ready.count), f(busy.ready.failures)]));
  console.log(row(['GET /media/:id/800.webp', f(idle.variant.p50, 1), f(idle.variant.p99, 1), f(busy.variant.p50, 1), f(busy.variant.p99, 1), f(busy.variant.max, 1), f(busy.variant.count), f(busy.variant.failures)]));
  console.log(`(while raw sharp ran, at the same nice value: /health/ready p99 ${f(rawBefore.ready.p99, 1)} / ${f(rawAfter.ready.p99, 1)} ms, the variant p99 ${f(rawBefore.variant.p99, 1)} / ${f(rawAfter.variant.p99, 1)} ms, before / after)`);
  const worst = Math.max(busy.ready.p99, busy.variant.p99);
  const verdict = worst < 100 ? 'not noticeable: below the ~100 ms at which a person starts to perceive a delay' : worst < 300 ? 'noticeable on a page with many images, though not disruptive' : 'noticeable: images would visibly lag while a batch is processed';
  console.log(`\nverdict: the slower p99 while busy is ${f(worst, 1)} ms — ${verdict}`);
  const errors = [...serviceLog, ...workerLog].filter((l) => typeof l.level === 'number' && l.level >= 50);
  if (errors.length > 0) console.log(`errors logged: ${errors.length}, first: ${String(errors[0]!.msg)}`);
} finally {
  clearProgress();
  await cleanup();
}
