import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { Mailer } from '@twenny/mail';
import type { DbExecutor } from '@twenny/messaging';
import { pruneMessagingTables } from '@twenny/messaging';
import * as schema from '../db/schema.ts';
import { pruneKeys } from '../db/idempotency-store.ts';
import { pendingMailIds } from '../db/mail-store.ts';
import { requestedRefundIds, stalePaymentIds } from '../db/order-store.ts';
import type { TicketKeySet } from '../domain/ticket-code.ts';
import { applyPaymentOutcome } from '../use-cases/apply-payment-outcome.ts';
import type { FollowUps, OrderDeps } from '../use-cases/order-deps.ts';
import type { PaymentProvider } from '../payments/payment-provider.ts';
import { expireOverdueHolds, expireReservation } from '../use-cases/expire-reservation.ts';
import { completeRefund } from '../use-cases/refund-order.ts';
import { sendOrderMail } from '../use-cases/send-order-mail.ts';
import type { OrderJobData, OrderJobName } from './job-types.ts';

export type JobHandlers = { [N in OrderJobName]: (data: OrderJobData<N>) => Promise<unknown> };

/** A hold's timer fired a little before the database's clock says it is over: BullMQ tries again shortly. */
export class NotDueYetError extends Error {}

export interface JobDeps {
  database: Database<Record<string, unknown>>;
  /** Where holds end (see db/holds-database.ts); the main pool when undefined. */
  holdsDb?: DbExecutor;
  ticketKeys: TicketKeySet;
  /** How old an open payment must be before the provider is asked about it. */
  reconcileAfterMs: number;
  logger: Logger;
  mailer: Mailer;
  provider: PaymentProvider;
  siteUrl: string;
}

export function createJobHandlers(deps: JobDeps): JobHandlers {
  const db = deps.database.db as unknown as DbExecutor;
  const holdsDb = deps.holdsDb ?? db;
  const { logger } = deps;
  const mail = { db, mailer: deps.mailer, siteUrl: deps.siteUrl, logger };
  // In the worker, what follows a refund is done right here.
  const followUps: FollowUps = {
    mail: async (mailId) => void (await sendOrderMail(mail, mailId).catch((error) => logger.warn({ err: error, mailId }, 'mail failed; will retry'))),
    refund: async (refundId) => void (await completeRefund(refunds, refundId)),
  };
  const refunds = { db, provider: deps.provider, logger, followUps };
  const orderDeps: OrderDeps = { db, provider: deps.provider, ticketKeys: deps.ticketKeys, siteUrl: deps.siteUrl, logger, followUps };
  return {
    'prune-messaging-tables': async ({ retentionHours }) => {
      const deleted = await pruneMessagingTables(deps.database, schema, retentionHours);
      const keys = await pruneKeys(db, retentionHours);
      if (deleted.outbox + deleted.inbox + keys > 0) logger.info({ deleted: { ...deleted, idempotencyKeys: keys } }, 'pruned old outbox and inbox rows');
      return { ...deleted, idempotencyKeys: keys };
    },
    'expire-reservation': async ({ reservationId }) => {
      const outcome = await expireReservation(holdsDb, reservationId);
      if (outcome === 'not-due') throw new NotDueYetError(`hold ${reservationId} is not over yet by the database's clock`);
      return outcome;
    },
    'sweep-expired-holds': async () => {
      let released = 0;
      // A second of grace leaves on-time holds to their own timers.
      for (let batch; (batch = await expireOverdueHolds(holdsDb, { limit: 200, graceMs: 1000 })) > 0; ) released += batch;
      if (released > 0) logger.info({ released }, 'released holds whose timer was lost');
      return { released };
    },
    'send-mail': async ({ mailId }) => sendOrderMail(mail, mailId),
    'catch-up': async () => {
      let refunded = 0;
      let mailed = 0;
      let reconciled = 0;
      for (const { providerPaymentId } of await stalePaymentIds(db, { olderThanMs: deps.reconcileAfterMs, limit: 100 })) {
        try {
          const outcome = await deps.provider.retrievePayment(providerPaymentId);
          if (outcome && (await applyPaymentOutcome(orderDeps, outcome)).outcome !== 'duplicate') reconciled++;
        } catch (error) {
          logger.warn({ err: error, providerPaymentId }, 'could not reconcile a payment; will try again');
        }
      }
      for (const refundId of await requestedRefundIds(db, { olderThanMs: 2000, limit: 200 })) {
        try {
          if ((await completeRefund(refunds, refundId)) === 'refunded') refunded++;
        } catch (error) {
          logger.warn({ err: error, refundId }, 'refund failed; will try again');
        }
      }
      for (const mailId of await pendingMailIds(db, { olderThanMs: 60_000, limit: 200 })) {
        try {
          if ((await sendOrderMail(mail, mailId)) === 'sent') mailed++;
        } catch (error) {
          logger.warn({ err: error, mailId }, 'mail failed; will retry');
        }
      }
      if (refunded + mailed + reconciled > 0) logger.info({ refunded, mailed, reconciled }, 'caught up with refunds, mail and payments');
      return { refunded, mailed, reconciled };
    },
  };
}

