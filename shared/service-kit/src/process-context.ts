import { createLifecycle, type Lifecycle } from '@twenny/lifecycle';
import { createLogger, type Logger } from '@twenny/logger';
import { shutdownTelemetry } from '@twenny/telemetry';

/**
 * What every twenny process starts with: its logger, and a lifecycle whose last
 * step flushes telemetry. With `handleSignals`, SIGTERM/SIGINT run the shutdown
 * and end the process.
 */
export function createProcessContext(options: {
  name: string;
  config: { LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number; SHUTDOWN_DRAIN_DELAY_MS?: number };
  handleSignals?: boolean;
  logger?: Logger;
}): { logger: Logger; lifecycle: Lifecycle } {
  const logger = options.logger ?? createLogger({ service: options.name, level: options.config.LOG_LEVEL });
  const lifecycle = createLifecycle({ logger, timeoutMs: options.config.SHUTDOWN_TIMEOUT_MS, drainDelayMs: options.config.SHUTDOWN_DRAIN_DELAY_MS });
  lifecycle.onStop('telemetry', () => shutdownTelemetry(), 'flush');
  if (options.handleSignals ?? true) lifecycle.handleSignals();
  return { logger, lifecycle };
}
