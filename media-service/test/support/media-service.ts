import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@twenny/config';
import { connectDatabase, type Database } from '@twenny/db';
import { captureLogger, createTestDatabase, createTestIssuer, deleteRedisKeys, deleteTestTopology, infrastructure, listenOnBus, uniquePrefix, waitFor, type ReceivedEnvelope, type TestDatabase, type TestIssuer } from '@twenny/testing';
import { configSchema, workerConfigSchema } from '../../src/config.ts';
import { startMediaService } from '../../src/service.ts';
import { startMediaWorkerProcess } from '../../src/worker-process.ts';

export type OrgRole = 'owner' | 'admin' | 'member';

export interface UploadParts {
  file?: { bytes: Buffer; name?: string; type?: string };
  organizationId?: string;
  eventId?: string;
  alt?: string;
  /** Fields before the file (the default), or after it. */
  fieldsAfterFile?: boolean;
}

export interface TestMediaService {
  url: string;
  issuer: TestIssuer;
  /** The test issuer's key set, for a gateway in front. */
  jwksUrl: string;
  database: TestDatabase;
  sql: Database['sql'];
  storageDir: string;
  amqpUrl: string;
  prefix: string;
  logs: Array<Record<string, unknown>>;
  workerLogs: Array<Record<string, unknown>>;
  /** media.image.* messages as a subscriber receives them. */
  messages: ReceivedEnvelope[];
  tokenFor(userId: string, orgs?: Array<{ id: string; role: OrgRole }>): Promise<string>;
  upload(token: string | undefined, parts: UploadParts): Promise<{ status: number; headers: Headers; body: any }>;
  /** GET /api/media/images/:id until its status is no longer processing. */
  settled(token: string, id: string): Promise<any>;
  stop(): Promise<void>;
}

/**
 * media-service and its worker in this process, each on a free port, with a
 * database, bus prefix, Redis prefix and storage directory of the test file's own,
 * trusting a test token issuer. `serviceEnvironment` is for the HTTP service only.
 */
export async function startTestMediaService(environment: Record<string, string> = {}, serviceEnvironment: Record<string, string> = {}): Promise<TestMediaService> {
  const { amqpUrl, redisUrl } = await infrastructure();
  const database = await createTestDatabase();
  const issuer = await createTestIssuer();
  const jwks = await issuer.serve();
  const prefix = `${uniquePrefix()}.`;
  const redisPrefix = uniquePrefix();
  const storageDir = await mkdtemp(join(tmpdir(), 'twenny-media-test-'));
  const env = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.urlFor('media-service'),
    AMQP_URL: amqpUrl,
    AMQP_PREFIX: prefix,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    AUTH_JWKS_URL: jwks.url,
    AUTH_JWT_ISSUER: issuer.issuer,
    AUTH_JWT_AUDIENCE: issuer.audience,
    MEDIA_STORAGE_DIR: storageDir,
    ...environment,
  };
  const { logger, lines } = captureLogger('media-service', 'info');
  const service = await startMediaService(loadConfig(configSchema, { ...env, ...serviceEnvironment }), { handleSignals: false, logger });
  const bus = await listenOnBus(amqpUrl, prefix, 'media.image.#');
  const worker = captureLogger('media-worker', 'info');
  const running = await startMediaWorkerProcess(loadConfig(workerConfigSchema, { WORKER_PORT: '0', MEDIA_SWEEP_EVERY_MS: '200', ...env }), { handleSignals: false, logger: worker.logger });
  const pool = connectDatabase({ url: database.adminUrl, max: 2, applicationName: 'media-service-test' });
  const url = service.http.url;

  return {
    url,
    issuer,
    jwksUrl: jwks.url,
    database,
    sql: pool.sql,
    storageDir,
    amqpUrl,
    prefix,
    logs: lines,
    workerLogs: worker.lines,
    messages: bus.received,
    tokenFor: (userId, orgs = []) => issuer.sign({ sub: userId, email: `${userId}@example.test`, role: 'user', orgs }),
    async upload(token, parts) {
      const form = new FormData();
      const fields = () => {
        if (parts.organizationId !== undefined) form.append('organizationId', parts.organizationId);
        if (parts.eventId !== undefined) form.append('eventId', parts.eventId);
        if (parts.alt !== undefined) form.append('alt', parts.alt);
      };
      if (!parts.fieldsAfterFile) fields();
      if (parts.file) form.append('file', new Blob([new Uint8Array(parts.file.bytes)], { type: parts.file.type ?? 'image/jpeg' }), parts.file.name ?? 'photo.jpg');
      if (parts.fieldsAfterFile) fields();
      const response = await fetch(`${url}/api/media/images`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, headers: response.headers, body };
    },
    async settled(token, id) {
      return waitFor(`image ${id} to be processed`, async () => {
        const body = (await (await fetch(`${url}/api/media/images/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string };
        return body.status === 'processing' ? undefined : body;
      }, { timeoutMs: 30_000, intervalMs: 100 });
    },
    async stop() {
      await running.stop();
      await service.stop();
      await bus.close();
      await pool.close();
      await jwks.close();
      await deleteTestTopology(amqpUrl, prefix);
      await deleteRedisKeys(redisUrl, redisPrefix);
      await database.drop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
