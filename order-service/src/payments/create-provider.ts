import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import type { OrderConfig } from '../config.ts';
import { createTestProvider, type TestPaymentProvider } from './test-provider.ts';

/** The configured payment provider. Only the built-in test one exists so far; a real one implements PaymentProvider the same way. */
export function createPaymentProvider(config: OrderConfig, deps: { db: DbExecutor; logger: Logger; webhookUrl: () => string }): TestPaymentProvider {
  return createTestProvider({
    db: deps.db,
    secret: config.PAYMENT_WEBHOOK_SECRET.split(','),
    pageBaseUrl: config.PAYMENT_PAGE_BASE_URL,
    webhookUrl: deps.webhookUrl,
    logger: deps.logger,
  });
}
