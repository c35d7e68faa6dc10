import type { MessageContract } from './define-message.ts';
import { inventoryChangedV1 } from './messages/order.inventory.changed.v1.ts';

/** Every message type the platform knows. A contract test checks each file is listed. */
export const messageContracts: readonly MessageContract[] = [inventoryChangedV1];

const byType = new Map(messageContracts.map((contract) => [contract.type, contract]));

export function contractFor(type: string): MessageContract | undefined {
  return byType.get(type);
}
