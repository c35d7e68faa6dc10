import type { Logger } from '@twenny/logger';
import type { Mailer } from '@twenny/mail';
import type { DbExecutor } from '@twenny/messaging';
import { mailById, markMailSent, recordMailFailure, refundOf } from '../db/mail-store.ts';
import { orderDetails } from '../db/order-reads.ts';
import { orderConfirmationMail, orderRefundedMail } from '../mail/order-mails.ts';
import { ticketQrPng } from '../tickets/ticket-qr.ts';

/**
 * Sends one queued mail (its row was written with the change that caused it).
 * A mail is sent at least once: a crash between sending and marking it sent
 * sends it again, which beats never sending a buyer their tickets.
 */
export async function sendOrderMail(deps: { db: DbExecutor; mailer: Mailer; siteUrl: string; logger: Logger }, mailId: string): Promise<'sent' | 'already' | 'unknown'> {
  const mail = await mailById(deps.db, mailId);
  if (!mail) return 'unknown';
  if (mail.status === 'sent') return 'already';
  const details = (await orderDetails(deps.db, mail.orderId))!;
  const { order } = details;
  const base = {
    buyerEmail: order.buyerEmail,
    orderId: order.id,
    eventTitle: details.event?.title ?? 'Your event',
    eventStart: (details.event?.startsAt ?? new Date()).toISOString(),
    timeZone: details.event?.timeZone ?? 'UTC',
    currency: order.currency,
  };
  try {
    if (mail.kind === 'order-confirmation') {
      const tickets = await Promise.all(
        details.tickets.filter((t) => t.status === 'valid').map(async (t) => ({ id: t.id, ticketTypeName: t.ticketTypeName, attendeeName: t.attendeeName, code: t.code, qrPng: await ticketQrPng(t.code) })),
      );
      await deps.mailer.send(orderConfirmationMail({ ...base, totalMinor: order.totalMinor, tickets, ticketsUrl: new URL(`/orders/${order.id}`, deps.siteUrl).toString() }));
    } else {
      const refund = await refundOf(deps.db, order.id);
      await deps.mailer.send(orderRefundedMail({ ...base, refundedMinor: refund?.amountMinor ?? order.totalMinor, reason: order.statusReason ?? 'Your order was refunded.' }));
    }
  } catch (error) {
    await recordMailFailure(deps.db, mailId, error instanceof Error ? error.message : String(error));
    throw error;
  }
  await markMailSent(deps.db, mailId);
  return 'sent';
}
