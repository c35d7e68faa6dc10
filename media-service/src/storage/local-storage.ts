import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertStorageKey, StoredObjectMissingError, type MediaStorage } from './media-storage.ts';

const isMissing = (error: unknown) => (error as { code?: string })?.code === 'ENOENT';

/**
 * Files under one directory (a volume in compose and Kubernetes). Every write
 * goes to a temporary name and is renamed into place, so a reader never sees
 * half a file. Directories are made when first needed.
 */
export function createLocalStorage(root: string): MediaStorage {
  const incoming = join(root, 'incoming');
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(root, key);
  };
  async function moveInto(key: string, from: string) {
    const target = pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(from, target);
  }
  return {
    kind: 'local',
    async spoolPath() {
      await mkdir(incoming, { recursive: true });
      return join(incoming, randomUUID());
    },
    async keepFile(key, path) {
      await moveInto(key, path);
    },
    async put(key, body) {
      const temporary = join(incoming, `${randomUUID()}.part`);
      await mkdir(incoming, { recursive: true });
      try {
        await writeFile(temporary, body);
        await moveInto(key, temporary);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async read(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (isMissing(error)) throw new StoredObjectMissingError(key);
        throw error;
      }
    },
    async open(key, range) {
      const stream = createReadStream(pathOf(key), range ?? {});
      // Opened before it is handed out, so a missing file is an answer (404), not a broken response.
      return new Promise((resolve, reject) => {
        stream.once('open', () => resolve(stream));
        stream.once('error', (error) => (isMissing(error) ? resolve(undefined) : reject(error)));
      });
    },
    async delete(keys) {
      for (const key of keys) await rm(pathOf(key), { force: true });
      // An image's variant directory goes with its last variant.
      const directories = new Set(keys.filter((k) => k.startsWith('variants/')).map((k) => dirname(pathOf(k))));
      for (const directory of directories) await rmdir(directory).catch(() => undefined);
    },
    async check() {
      await mkdir(incoming, { recursive: true });
      await access(incoming, constants.W_OK);
    },
  };
}
