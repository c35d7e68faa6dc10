/**
 * The explicit subscription table: which service's queue receives which message
 * types. Topology is declared from it (every service declares all queues, so a
 * publisher that starts first still finds its subscribers' queues), and each
 * consumer checks at start-up that it has a handler for exactly these types.
 */
export const subscriptions = {
  'auth-service': [],
  'catalog-service': ['order.inventory.changed.v1', 'media.image.processed.v1'],
  'order-service': ['catalog.event.published.v1', 'catalog.event.updated.v1', 'catalog.event.unpublished.v1', 'catalog.event.cancelled.v1', 'catalog.event.deleted.v1'],
  // Deleting an event deletes its images (originals and variants).
  'media-service': ['catalog.event.deleted.v1'],
} as const satisfies Record<string, readonly string[]>;

export type ConsumerName = keyof typeof subscriptions;

export function subscribersOf(type: string, table: Record<string, readonly string[]> = subscriptions): string[] {
  return Object.entries(table)
    .filter(([, types]) => types.includes(type))
    .map(([consumer]) => consumer);
}
