/**
 * Every job the order worker runs, as a discriminated union: the name picks the
 * payload type. The handlers (handlers.ts) must cover every name; the worker
 * checks it at start-up as well, for names added without a handler.
 */
export type OrderJob =
  | { name: 'prune-messaging-tables'; data: { retentionHours: number } }
  /** A hold's timer: releases it at its expiry if it is still held. */
  | { name: 'expire-reservation'; data: { reservationId: string } }
  /** Releases holds whose timer was lost (Redis here keeps nothing on disk). */
  | { name: 'sweep-expired-holds'; data: Record<string, never> }
  /** Sends one queued mail. */
  | { name: 'send-mail'; data: { mailId: string } }
  /** Catches up with what a lost job or webhook left undone: refunds, mail, payments whose outcome never arrived. */
  | { name: 'catch-up'; data: Record<string, never> };

export type OrderJobName = OrderJob['name'];
export type OrderJobData<N extends OrderJobName> = Extract<OrderJob, { name: N }>['data'];

export const orderJobNames: readonly OrderJobName[] = ['prune-messaging-tables', 'expire-reservation', 'sweep-expired-holds', 'send-mail', 'catch-up'];

export const orderQueueName = 'orders';
