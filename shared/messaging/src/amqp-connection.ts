import amqp, { type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '@twenny/logger';
import { safeUrl } from '@twenny/logger';

export interface AmqpConnection {
  /** The reconnecting connection; channels created from it wait for a connection. */
  readonly model: RecoveringChannelModel;
  readonly isConnected: boolean;
  /**
   * Runs `setup` now (if connected) and after every reconnect, on the fresh
   * connection: declare topology, open channels, start consuming.
   */
  onConnect(setup: (model: ChannelModel) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects with amqplib's built-in recovery: the first connection fails fast (so
 * a wrong URL stops the start), later drops are retried forever with backoff.
 */
export async function connectAmqp(options: {
  url: string;
  name: string;
  logger: Logger;
  initialRetries?: number;
  maxDelayMs?: number;
  heartbeatSeconds?: number;
}): Promise<AmqpConnection> {
  const { logger } = options;
  const setups: Array<(model: ChannelModel) => Promise<void>> = [];
  let current: ChannelModel | undefined;
  let closing = false;

  const url = new URL(options.url);
  if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSeconds ?? 15));

  const model = await amqp.connect(url.toString(), {
    clientProperties: { connection_name: options.name },
    recovery: {
      initialDelay: 100,
      maxDelay: options.maxDelayMs ?? 5_000,
      initialMaxRetries: options.initialRetries ?? 5,
      maxRetries: Infinity,
      setup: async (fresh: ChannelModel) => {
        current = fresh;
        fresh.on('close', () => {
          if (current === fresh) current = undefined;
        });
        for (const setup of setups) await setup(fresh);
      },
    },
  });
  logger.info({ broker: safeUrl(options.url) }, 'amqp connected');
  model.on('connect', () => logger.info({ broker: safeUrl(options.url) }, 'amqp reconnected'));
  model.on('disconnect', (error: Error) => {
    current = undefined;
    if (!closing) logger.warn({ err: error }, 'amqp disconnected; reconnecting');
  });
  model.on('reconnect-failed', (error: Error) => logger.error({ err: error }, 'amqp reconnect gave up'));
  model.on('error', (error: Error) => logger.warn({ err: error }, 'amqp connection error'));
  model.on('handler-error', (error: Error, event: string) => logger.error({ err: error, event }, 'amqp listener threw'));
  model.on('blocked', (reason: string) => logger.warn({ reason }, 'amqp connection blocked by the broker'));

  return {
    model,
    get isConnected() {
      return current !== undefined;
    },
    async onConnect(setup) {
      setups.push(setup);
      if (current) await setup(current);
    },
    async close() {
      closing = true;
      await model.close().catch(() => undefined);
    },
  };
}
