/**
 * Every job the order worker runs, as a discriminated union: the name picks the
 * payload type. jobHandlers (handlers.ts) must cover every name; the worker checks
 * it at start-up as well, for names added without a handler.
 */
export type OrderJob = { name: 'prune-messaging-tables'; data: { retentionHours: number } };

export type OrderJobName = OrderJob['name'];
export type OrderJobData<N extends OrderJobName> = Extract<OrderJob, { name: N }>['data'];

export const orderJobNames: readonly OrderJobName[] = ['prune-messaging-tables'];

export const orderQueueName = 'orders';
