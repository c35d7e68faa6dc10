/** Local-disk storage, on a real directory. */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../src/storage/local-storage.ts';
import { originalKey, StoredObjectMissingError, variantKey } from '../src/storage/media-storage.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'twenny-local-storage-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('local storage', () => {
  it('keeps a spooled file by renaming it, reads it back, whole or a range, and deletes it', async () => {
    const storage = createLocalStorage(root);
    const id = randomUUID();
    const spool = await storage.spoolPath();
    await writeFile(spool, 'the original bytes');
    await storage.keepFile(originalKey(id), spool, 'image/jpeg');
    expect(existsSync(spool)).toBe(false);
    expect((await storage.read(originalKey(id))).toString()).toBe('the original bytes');
    expect(await text((await storage.open(originalKey(id), { start: 4, end: 11 }))!)).toBe('original');

    await storage.put(variantKey(id, '400.webp'), Buffer.from('variant'), 'image/webp');
    expect(await text((await storage.open(variantKey(id, '400.webp')))!)).toBe('variant');
    expect(await readdir(join(root, 'incoming'))).toEqual([]);

    await storage.delete([originalKey(id), variantKey(id, '400.webp'), variantKey(id, '800.webp')]);
    expect(await storage.open(originalKey(id))).toBeUndefined();
    await expect(storage.read(originalKey(id))).rejects.toBeInstanceOf(StoredObjectMissingError);
    expect(existsSync(join(root, 'variants', id))).toBe(false);
  });

  it('refuses any key it did not make (no path ever comes from a client)', async () => {
    const storage = createLocalStorage(root);
    for (const key of ['../etc/passwd', 'originals/../../x', `variants/${randomUUID()}/../../x.webp`, 'originals/abc']) {
      await expect(storage.read(key)).rejects.toThrow(/not a media storage key/);
    }
  });

  it('is ready when its directory can be written', async () => {
    await expect(createLocalStorage(join(root, 'fresh')).check()).resolves.toBeUndefined();
  });
});
