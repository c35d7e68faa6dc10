/**
 * The load generator of the gateway benchmark, in a process of its own so that
 * it does not share an event loop with anything it measures (it still shares
 * the machine's two cores). Runs autocannon on command and reports the result.
 */
import autocannon from 'autocannon';

export interface LoadCommand {
  url: string;
  /** One header set per request, in turn (several sessions or tokens, as real traffic has). */
  headerSets: Array<Record<string, string>>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadReport {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** Requests sent during the warm-up (for cache hit rates). */
  warmupRequests: number;
  statuses: Record<string, number>;
}

function run(command: LoadCommand, duration: number): Promise<autocannon.Result> {
  let turn = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: command.url,
        connections: command.connections,
        duration,
        requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...command.headerSets[turn++ % command.headerSets.length] } }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Sent between warm-up and the measured run, so the parent can sample the processes' CPU time. */
export interface MeasuringNotice {
  measuring: true;
}

process.on('message', async (command: LoadCommand) => {
  const warmup = await run(command, command.warmupSeconds);
  process.send!({ measuring: true } satisfies MeasuringNotice);
  const result = await run(command, command.durationSeconds);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]));
  const report: LoadReport = {
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors,
    warmupRequests: warmup.requests.total,
    statuses,
  };
  process.send!(report);
});
