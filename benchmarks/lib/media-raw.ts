/**
 * The baseline of bench:media: the same variants of the same images made by
 * sharp directly, with nothing around it (no HTTP, storage, queue, database or
 * messages). The same operations as media-service's pipeline, written out here:
 * decode once, oriented and shrunk to the largest width; then WebP and AVIF at
 * 400/800/1600 (never enlarged), a 16 px blurred WebP placeholder and the
 * dominant colour. The same settings: one libvips thread per image, no cache.
 *
 * Run as a child process (fork, advanced serialization) at the worker's nice
 * value, so that on a shared machine both compete for the CPU alike: it is sent
 * the photos once, then `run` any number of times, answering each with what it did.
 */
import sharp from 'sharp';
import { lowerCpuPriority } from '../../media-service/src/jobs/cpu-priority.ts';

export interface RawSettings {
  avifEffort: number;
  webpQuality: number;
  avifQuality: number;
}

export interface RawRequest {
  photos?: Uint8Array[];
  concurrency: number;
  settings: RawSettings;
  nice: number;
  /** How many photos to do (the first ones): a warm-up does a few. */
  count?: number;
}

export interface RawResult {
  variants: number;
  seconds: number;
  cpuSeconds: number;
}

async function rawVariants(input: Uint8Array, settings: RawSettings): Promise<number> {
  const metadata = await sharp(input).metadata();
  const turned = (metadata.orientation ?? 1) >= 5;
  const width = turned ? metadata.height! : metadata.width!;
  const widths = width >= 1600 ? [400, 800, 1600] : [...[400, 800].filter((w) => w < width), width];
  const { data, info } = await sharp(input, { pages: 1, failOn: 'warning' }).rotate().resize({ width: widths.at(-1)!, withoutEnlargement: true }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const raw = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  let variants = 0;
  for (const format of settings.avifEffort >= 0 ? (['webp', 'avif'] as const) : (['webp'] as const)) {
    for (const w of widths) {
      const resized = raw().resize({ width: w, withoutEnlargement: true });
      await (format === 'webp' ? resized.webp({ quality: settings.webpQuality }) : resized.avif({ quality: settings.avifQuality, effort: settings.avifEffort })).toBuffer();
      variants++;
    }
  }
  const tiny = raw().resize({ width: 16 });
  await tiny.clone().blur(0.6).webp({ quality: 40 }).toBuffer();
  await tiny.clone().stats();
  return variants;
}

/** Makes every image's variants, `concurrency` images at once; resolves with how many variants. */
async function rawBatch(images: Uint8Array[], concurrency: number, settings: RawSettings): Promise<number> {
  let next = 0;
  let variants = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < images.length) {
        const made = await rawVariants(images[next++]!, settings);
        variants += made;
      }
    }),
  );
  return variants;
}

if (process.send) {
  let photos: Uint8Array[] = [];
  let lowered = false;
  process.on('message', async (request: RawRequest) => {
    if (request.photos) photos = request.photos;
    if (!lowered) {
      lowerCpuPriority(request.nice);
      sharp.concurrency(1);
      sharp.cache(false);
      lowered = true;
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    const variants = await rawBatch(photos.slice(0, request.count ?? photos.length), request.concurrency, request.settings);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    process.send!({ variants, seconds, cpuSeconds: (used.user + used.system) / 1e6 } satisfies RawResult);
  });
}
