import type { MessageContract } from './define-message.ts';
import { userRegisteredV1 } from './messages/auth.user.registered.v1.ts';
import { organizationCreatedV1 } from './messages/auth.organization.created.v1.ts';
import { organizationUpdatedV1 } from './messages/auth.organization.updated.v1.ts';
import { organizationDeletedV1 } from './messages/auth.organization.deleted.v1.ts';
import { memberAddedV1 } from './messages/auth.organization.member-added.v1.ts';
import { memberRoleChangedV1 } from './messages/auth.organization.member-role-changed.v1.ts';
import { memberRemovedV1 } from './messages/auth.organization.member-removed.v1.ts';
import { inventoryChangedV1 } from './messages/order.inventory.changed.v1.ts';
import { reservationExpiredV1 } from './messages/order.reservation.expired.v1.ts';
import { reservationReleasedV1 } from './messages/order.reservation.released.v1.ts';
import { orderPaidV1 } from './messages/order.order.paid.v1.ts';
import { orderRefundedV1 } from './messages/order.order.refunded.v1.ts';
import { eventPublishedV1 } from './messages/catalog.event.published.v1.ts';
import { eventUpdatedV1 } from './messages/catalog.event.updated.v1.ts';
import { eventUnpublishedV1 } from './messages/catalog.event.unpublished.v1.ts';
import { eventCancelledV1 } from './messages/catalog.event.cancelled.v1.ts';
import { eventDeletedV1 } from './messages/catalog.event.deleted.v1.ts';
import { imageProcessedV1 } from './messages/media.image.processed.v1.ts';
import { imageFailedV1 } from './messages/media.image.failed.v1.ts';

/** Every message type the platform knows. A contract test checks each file is listed. */
export const messageContracts: readonly MessageContract[] = [
  userRegisteredV1,
  organizationCreatedV1,
  organizationUpdatedV1,
  organizationDeletedV1,
  memberAddedV1,
  memberRoleChangedV1,
  memberRemovedV1,
  inventoryChangedV1,
  reservationExpiredV1,
  reservationReleasedV1,
  orderPaidV1,
  orderRefundedV1,
  eventPublishedV1,
  eventUpdatedV1,
  eventUnpublishedV1,
  eventCancelledV1,
  eventDeletedV1,
  imageProcessedV1,
  imageFailedV1,
];

const byType = new Map(messageContracts.map((contract) => [contract.type, contract]));

export function contractFor(type: string): MessageContract | undefined {
  return byType.get(type);
}
