import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import type { TicketKeySet } from '../domain/ticket-code.ts';
import type { PaymentProvider } from '../payments/payment-provider.ts';

/** What the order use cases need; the HTTP service and the worker each build one. */
export interface OrderDeps {
  db: DbExecutor;
  provider: PaymentProvider;
  ticketKeys: TicketKeySet;
  /** The site buyers return to after paying. */
  siteUrl: string;
  logger: Logger;
  /** Work that follows a commit: sending a mail, carrying out a refund at the provider. */
  followUps: FollowUps;
}

export interface FollowUps {
  mail(mailId: string): Promise<void>;
  refund(refundId: string): Promise<void>;
}
