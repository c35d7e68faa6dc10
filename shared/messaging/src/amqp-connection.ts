import amqp, { type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '@twenny/logger';
import { safeUrl } from '@twenny/logger';

export interface AmqpConnection {
  /** The reconnecting connection; channels created from it wait for a connection. */
  readonly model: RecoveringChannelModel;
  /** The live connection once it is set up (topology declared, consumers on), else undefined. */
  readonly channelModel: ChannelModel | undefined;
  readonly isConnected: boolean;
  /** True while the broker blocks publishing (memory or disk alarm). */
  readonly isBlocked: boolean;
  /**
   * Runs `setup` now (if connected) and after every reconnect, on the fresh
   * connection: declare topology, open channels, start consuming.
   */
  onConnect(setup: (model: ChannelModel) => Promise<void>): Promise<void>;
  /** Called after each connection is set up, and when the broker unblocks it (e.g. to wake a relay). */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * Connects with amqplib's built-in recovery: the first connection fails fast (so
 * a wrong URL stops the start), later drops are retried forever with backoff.
 * The connection counts as up only once every setup has run on it.
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
  const readyListeners: Array<() => void> = [];
  let current: ChannelModel | undefined;
  let blocked = false;
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
        fresh.on('close', () => {
          if (current === fresh) current = undefined;
        });
        // By index: a setup registered while this loop runs is run by it too.
        for (let i = 0; i < setups.length; i++) await setups[i]!(fresh);
        current = fresh;
        blocked = false;
        for (const listener of readyListeners) listener();
      },
    },
  });
  logger.info({ broker: safeUrl(options.url) }, 'amqp connected');
  model.on('connect', () => logger.info({ broker: safeUrl(options.url) }, 'amqp reconnected'));
  model.on('disconnect', (error: Error) => {
    current = undefined;
    if (!closing) logger.warn({ err: error }, 'amqp disconnected; reconnecting');
  });
  // A failed attempt or a failed setup (e.g. a queue redeclared with other arguments) is retried: say why.
  model.on('connect-failed', (error: Error) => {
    if (!closing) logger.error({ err: error }, 'amqp connection or set-up failed; retrying');
  });
  model.on('reconnect-failed', (error: Error) => logger.error({ err: error }, 'amqp reconnect gave up'));
  model.on('error', (error: Error) => logger.warn({ err: error }, 'amqp connection error'));
  model.on('handler-error', (error: Error, event: string) => logger.error({ err: error, event }, 'amqp listener threw'));
  model.on('blocked', (reason: string) => {
    blocked = true;
    logger.warn({ reason }, 'amqp connection blocked by the broker');
  });
  model.on('unblocked', () => {
    blocked = false;
    logger.info('amqp connection unblocked');
    for (const listener of readyListeners) listener();
  });

  return {
    model,
    get channelModel() {
      return current;
    },
    get isConnected() {
      return current !== undefined;
    },
    get isBlocked() {
      return blocked;
    },
    async onConnect(setup) {
      setups.push(setup);
      if (current) await setup(current);
    },
    onReady(listener) {
      readyListeners.push(listener);
    },
    async close() {
      closing = true;
      await model.close().catch(() => undefined);
    },
  };
}
