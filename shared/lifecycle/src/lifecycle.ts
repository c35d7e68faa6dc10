import type { Logger } from '@twenny/logger';

/**
 * Shutdown runs in phases: stop taking new work (ingress: HTTP servers), finish
 * work in hand (workers: consumers, relays, job workers), close connections, and
 * last flush what records the shutdown itself (telemetry).
 */
export type StopPhase = 'ingress' | 'workers' | 'connections' | 'flush';
const phaseOrder: StopPhase[] = ['ingress', 'workers', 'connections', 'flush'];

type StopStep = { name: string; phase: StopPhase; run: () => Promise<unknown> | unknown };

export interface Lifecycle {
  /** True between markReady() and the start of shutdown; drives /health/ready. */
  readonly isReady: boolean;
  readonly isStopping: boolean;
  markReady(): void;
  /** Steps run phase by phase, and in the order they were added within a phase. */
  onStop(name: string, run: StopStep['run'], phase?: StopPhase): void;
  /** Readiness false, then each step in order, all bounded by `timeoutMs`. */
  stop(reason: string): Promise<void>;
  /** SIGTERM/SIGINT → stop() → exit 0 (or 1 when a step failed or time ran out). */
  handleSignals(): void;
}

export function createLifecycle(options: { logger: Logger; timeoutMs: number; drainDelayMs?: number }): Lifecycle {
  const { logger, timeoutMs, drainDelayMs = 0 } = options;
  const steps: StopStep[] = [];
  let ready = false;
  let stopping: Promise<void> | undefined;
  let failed = false;

  async function runSteps(reason: string) {
    logger.info({ reason }, 'shutting down');
    // Let load balancers see "not ready" before connections start being refused.
    if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    const ordered = phaseOrder.flatMap((phase) => steps.filter((step) => step.phase === phase));
    for (const step of ordered) {
      try {
        await step.run();
        logger.debug({ step: step.name }, 'stopped');
      } catch (error) {
        failed = true;
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
  }

  const lifecycle: Lifecycle = {
    get isReady() {
      return ready && !stopping;
    },
    get isStopping() {
      return stopping !== undefined;
    },
    markReady() {
      ready = true;
    },
    onStop(name, run, phase = 'workers') {
      steps.push({ name, run, phase });
    },
    stop(reason) {
      if (stopping) return stopping;
      ready = false;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          failed = true;
          logger.error({ timeoutMs }, 'shutdown did not finish in time');
          resolve();
        }, timeoutMs);
        timer.unref();
      });
      stopping = Promise.race([runSteps(reason), deadline]).finally(() => clearTimeout(timer));
      return stopping;
    },
    handleSignals() {
      const onSignal = (signal: NodeJS.Signals) => {
        void lifecycle.stop(signal).then(() => {
          logger.info({ clean: !failed }, 'stopped');
          logger.flush();
          process.exit(failed ? 1 : 0);
        });
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
  };
  return lifecycle;
}
