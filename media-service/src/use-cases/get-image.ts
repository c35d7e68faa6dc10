import { HttpProblem } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { findImage } from '../db/image-store.ts';
import { variantUrl } from '../domain/variant-plan.ts';
import type { ImageView } from '../http/schemas.ts';
import { isMember } from './image-access.ts';

/** An image's status and variants, for members of its organisation. */
export async function getImage(db: DbExecutor, identity: Identity, id: string): Promise<ImageView> {
  const found = await findImage(db, id);
  if (!found || found.image.status === 'deleted') throw HttpProblem.notFound(`There is no image ${id}.`);
  const { image } = found;
  // To anyone else, another organisation's image does not exist: not even its owner is told.
  if (!isMember(identity, image.organizationId)) throw HttpProblem.notFound(`There is no image ${id}.`);
  return {
    id: image.id,
    status: image.status as ImageView['status'],
    organizationId: image.organizationId,
    eventId: image.eventId,
    alt: image.alt,
    width: image.width,
    height: image.height,
    placeholder: image.placeholder,
    dominantColor: image.dominantColor,
    variants: found.variants.map((v) => ({ name: v.name, format: v.format, width: v.width, height: v.height, bytes: v.bytes, url: variantUrl(image.id, v.name) })),
    failureReason: image.failureReason,
    createdAt: image.createdAt.toISOString(),
    processedAt: image.processedAt?.toISOString() ?? null,
  };
}
