import type { OrderStatus } from '#lib/types/orders.ts';

type BadgeVariant = 'default' | 'secondary' | 'success' | 'destructive' | 'outline';

/** How an order's status reads in lists and on its page. */
export const orderStatusLabels: Record<OrderStatus, { label: string; variant: BadgeVariant }> = {
  paid: { label: 'Paid', variant: 'success' },
  pending: { label: 'Awaiting payment', variant: 'secondary' },
  expired: { label: 'Expired', variant: 'outline' },
  refunding: { label: 'Refund in progress', variant: 'secondary' },
  refunded: { label: 'Refunded', variant: 'outline' },
};
