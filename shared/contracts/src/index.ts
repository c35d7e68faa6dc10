export { envelopeSchema, type Envelope } from './envelope.ts';
export { defineMessage, type MessageContract, type MessageData } from './define-message.ts';
export { messageContracts, contractFor } from './registry.ts';
export { subscriptions, subscribersOf, type ConsumerName } from './subscriptions.ts';
export { inventoryChangedV1 } from './messages/order.inventory.changed.v1.ts';
