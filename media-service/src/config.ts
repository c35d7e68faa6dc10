import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { env, serviceEnv } from '@twenny/config';

/** Where originals and variants go when nothing is configured: media-service/.data/media (git-ignored). */
const defaultStorageDir = fileURLToPath(new URL('../.data/media', import.meta.url));

/** What both media processes (HTTP service and worker) read. */
const mediaEnv = serviceEnv({ port: 4004, databaseRole: 'twenny_media' }).extend({
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ: lets tests and several stacks share one Redis. */
  REDIS_PREFIX: env.prefix('twenny'),
  /** `local`: files under MEDIA_STORAGE_DIR (a volume); `s3`: an S3-compatible bucket (MEDIA_S3_*). */
  MEDIA_STORAGE: z.enum(['local', 's3']).default('local'),
  /** Originals and variants (local storage), and where uploads are spooled while they are checked. */
  MEDIA_STORAGE_DIR: z.string().min(1).default(defaultStorageDir),
  /** The bucket (MEDIA_STORAGE=s3). Credentials come from the AWS SDK's usual sources (AWS_ACCESS_KEY_ID ..., a role). */
  MEDIA_S3_BUCKET: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value), { message: 'must be a bucket name: 3–63 lower-case letters, digits, dots and dashes' }),
  MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible endpoint (MinIO, R2, ...); empty for AWS itself. */
  MEDIA_S3_ENDPOINT: env.optionalUrl(['http:', 'https:']),
  /** Path-style URLs (bucket in the path), which most S3-compatible stores need. */
  MEDIA_S3_FORCE_PATH_STYLE: env.bool(false),
  /** Prepended to every object key, so one bucket can hold several stacks. */
  MEDIA_S3_PREFIX: z.string().regex(/^[A-Za-z0-9._/-]*$/, 'may contain only letters, digits, ".", "_", "-" and "/"').default(''),
  /** Largest upload accepted (bytes). The gateway passes at most 32 MiB on this route. */
  MEDIA_MAX_UPLOAD_BYTES: env.int(25 * 1024 * 1024, { min: 1024, max: 32 * 1024 * 1024 }),
  /** Largest image accepted, in pixels of its first frame: a decompression bomb is refused before it is decoded. */
  MEDIA_MAX_PIXELS: env.int(100_000_000, { min: 10_000, max: 268_402_689 }),
});

function s3Checks(config: Pick<z.output<typeof mediaEnv>, 'MEDIA_STORAGE' | 'MEDIA_S3_BUCKET'>, ctx: z.RefinementCtx) {
  if (config.MEDIA_STORAGE === 's3' && !config.MEDIA_S3_BUCKET) ctx.addIssue({ code: 'custom', path: ['MEDIA_S3_BUCKET'], message: 'is required when MEDIA_STORAGE is s3' });
}

/**
 * The image worker: its own health port, how many images at once, and how it
 * yields the CPU. It never talks to the bus (its messages go through the outbox,
 * which media-service relays), so it reads no AMQP settings.
 */
const workerEnv = mediaEnv.omit({ AMQP_URL: true, AMQP_PREFIX: true, AMQP_PREFETCH: true, DEAD_LETTER_RETENTION_HOURS: true }).extend({
  WORKER_PORT: env.port(4014),
  /** Images processed at once. Each keeps about one core busy (sharp runs one libvips thread per image here). */
  MEDIA_WORKER_CONCURRENCY: env.int(2, { min: 1, max: 64 }),
  /**
   * The worker's nice value (0–19): image work runs at a lower CPU priority than
   * HTTP, so uploads and image serving on the same machine stay responsive.
   */
  MEDIA_WORKER_NICE: env.int(10, { min: 0, max: 19 }),
  /** AVIF variants' encoder effort (0–9, lower is faster); `-1` makes none. 2 is ~8× faster than the default 4 (see README). */
  MEDIA_AVIF_EFFORT: z.coerce.number().int().min(-1).max(9).default(2),
  /** How often images of deleted events have their files removed, and jobs lost with Redis are queued again (ms; an image is taken for lost after twice this). */
  MEDIA_SWEEP_EVERY_MS: env.int(10_000, { min: 50, max: 3_600_000 }),
});

export const configSchema = mediaEnv.superRefine(s3Checks);
export const workerConfigSchema = workerEnv.superRefine(s3Checks);

export type MediaConfig = z.output<typeof configSchema>;
export type WorkerConfig = z.output<typeof workerConfigSchema>;
/** What both processes need to reach the storage. */
export type StorageConfig = Pick<MediaConfig, 'MEDIA_STORAGE' | 'MEDIA_STORAGE_DIR' | 'MEDIA_S3_BUCKET' | 'MEDIA_S3_REGION' | 'MEDIA_S3_ENDPOINT' | 'MEDIA_S3_FORCE_PATH_STYLE' | 'MEDIA_S3_PREFIX'>;
