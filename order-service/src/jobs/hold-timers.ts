import type { JobsOptions } from 'bullmq';
import type { Logger } from '@twenny/logger';
import type { OrderJobData } from './job-types.ts';

/** One timer per hold; its id comes from the hold's, so scheduling twice keeps one. */
export function expiryJobId(reservationId: string): string {
  return `expire-${reservationId}`;
}

export interface HoldTimers {
  /** Starts the hold's timer. A timer that fails to start is logged: the sweeper releases the hold instead. */
  start(reservationId: string, expiresAt: Date): Promise<void>;
}

/** `add` is the queue's (see connectJobQueue: it gives up on Redis after a second). */
export function createHoldTimers(add: (name: 'expire-reservation', data: object, options: JobsOptions) => Promise<unknown>, logger: Logger): HoldTimers {
  return {
    async start(reservationId, expiresAt) {
      const data: OrderJobData<'expire-reservation'> = { reservationId };
      try {
        await add('expire-reservation', data, {
          jobId: expiryJobId(reservationId),
          delay: Math.max(0, expiresAt.getTime() - Date.now()),
          // The database's clock may be a little behind ours: try again shortly.
          attempts: 10,
          backoff: { type: 'fixed', delay: 100 },
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 24 * 3600 },
        });
      } catch (error) {
        logger.warn({ err: error, reservationId }, 'could not start the hold timer; the sweeper will release the hold');
      }
    },
  };
}
