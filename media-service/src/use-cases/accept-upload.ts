import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { HttpProblem, type FieldError } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { insertImage } from '../db/image-store.ts';
import { contentTypeOf } from '../domain/image-types.ts';
import type { ReceivedUpload } from '../http/receive-upload.ts';
import { uploadFields } from '../http/schemas.ts';
import { uploadProblems } from '../http/upload-problems.ts';
import type { ImageQueue } from '../jobs/media-queue.ts';
import { readImageHeader } from '../processing/read-header.ts';
import { originalKey, type MediaStorage } from '../storage/media-storage.ts';
import { requireMember } from './image-access.ts';

export interface UploadDeps {
  db: DbExecutor;
  storage: MediaStorage;
  queue: ImageQueue;
  maxPixels: number;
  logger: Logger;
}

/**
 * Takes a received upload in, or refuses it with a problem: the fields, the
 * caller's membership, a whole image of the type its bytes claim, within the
 * pixel limit (read from the header, no pixel decoded). Kept as the original,
 * recorded as processing and queued for the worker. The spool file is gone
 * afterwards either way.
 */
export async function acceptUpload(deps: UploadDeps, identity: Identity, upload: ReceivedUpload): Promise<{ id: string; status: 'processing' }> {
  const { file } = upload;
  try {
    const parsed = uploadFields.safeParse(upload.fields);
    const errors: FieldError[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({ name: ['body', ...issue.path.map(String)].join('.') || 'body', reason: issue.message }));
    if (!file) errors.push(...(uploadProblems.missingFile().body.errors ?? []));
    if (!parsed.success || !file) throw HttpProblem.validation(errors);
    const fields = parsed.data;
    requireMember(identity, fields.organizationId);

    if (!file.structure.whole) throw uploadProblems.damaged(file.structure.reason);
    const header = await readImageHeader(file.path).catch(() => undefined);
    if (!header || header.width === 0 || header.height === 0) throw uploadProblems.damaged('its header cannot be read');
    if (header.type !== file.type) throw uploadProblems.damaged(`it starts like ${file.type.toUpperCase()} but is not one`);
    if (header.width * header.height > deps.maxPixels) throw uploadProblems.tooManyPixels(header.width, header.height, deps.maxPixels);

    const id = randomUUID();
    const key = originalKey(id);
    await deps.storage.keepFile(key, file.path, contentTypeOf[file.type]);
    try {
      await insertImage(deps.db, { id, organizationId: fields.organizationId, eventId: fields.eventId, uploadedBy: identity.userId, alt: fields.alt, sourceFormat: file.type, sourceBytes: file.bytes });
    } catch (error) {
      await deps.storage.delete([key]).catch((cleanup: unknown) => deps.logger.warn({ err: cleanup, imageId: id }, 'could not remove the original of an upload that was not recorded'));
      throw error;
    }
    await deps.queue.processImage(id);
    deps.logger.info({ imageId: id, organizationId: fields.organizationId, format: file.type, bytes: file.bytes, width: header.width, height: header.height }, 'image uploaded');
    return { id, status: 'processing' };
  } finally {
    if (file) await rm(file.path, { force: true });
  }
}
