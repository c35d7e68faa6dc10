import type { RequestEvent } from '@sveltejs/kit';
import { uploadFailureMessage } from '#lib/media-images.ts';
import { api } from './api.ts';

/**
 * Passes an image uploaded through a form (no JavaScript) on to the media
 * service. The small fields go first: the service can refuse before reading
 * the file. Uploads may take a while to arrive, hence the long timeout.
 */
export async function uploadImage(
  event: Pick<RequestEvent, 'request' | 'url' | 'getClientAddress'>,
  image: { file: File; alt: string; organizationId: string; eventId: string },
): Promise<{ ok: true; id: string } | { ok: false; status: number; message: string }> {
  const body = new FormData();
  body.set('organizationId', image.organizationId);
  body.set('eventId', image.eventId);
  body.set('alt', image.alt);
  body.set('file', image.file, image.file.name || 'cover');
  const result = await api(event).send<{ id: string }>('POST', '/api/media/images', { body, timeoutMs: 120_000 });
  if (!result.ok) return { ok: false, status: result.status, message: result.problem.fields.alt ?? uploadFailureMessage(result.status, result.problem.message) };
  return { ok: true, id: result.data.id };
}
