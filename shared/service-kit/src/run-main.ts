/**
 * Runs a process entry point: a failure while starting prints one line naming the
 * service and the cause, and exits non-zero (the full error goes to the log).
 */
export function runMain(name: string, main: () => Promise<unknown>): void {
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${name}: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
    process.exit(1);
  });
  main().catch((error: unknown) => {
    process.stderr.write(`${name}: failed to start: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  });
}
