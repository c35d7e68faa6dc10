/**
 * The load generator of the HTTP benchmarks, in a process of its own so that it
 * does not share an event loop with anything it measures (it still shares the
 * machine's cores). Runs autocannon on command and reports the result.
 */
import autocannon from 'autocannon';

export interface LoadCommand {
  url: string;
  /** One header set per request, in turn (several sessions or tokens, as real traffic has). */
  headerSets?: Array<Record<string, string>>;
  /** Paths (with their query) requested in turn on `url`'s origin, so that no single answer repeats; by default `url`'s own. */
  paths?: string[];
  /** A response header whose values are tallied (e.g. `x-cache`: hit or miss); "(none)" counts answers without it. */
  countHeader?: string;
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
  /** The measured run's values of `countHeader`, when asked. */
  headerCounts?: Record<string, number>;
}

function run(command: LoadCommand, duration: number, headerCounts?: Record<string, number>): Promise<autocannon.Result> {
  let turn = 0;
  const { headerSets = [], paths, countHeader } = command;
  const onResponse =
    countHeader && headerCounts
      ? (_status: number, _body: string, _context: object, headers: Record<string, string | string[] | undefined> | undefined) => {
          let value: string | undefined;
          for (const name in headers) if (name.toLowerCase() === countHeader) value = String(headers[name]);
          value ??= '(none)';
          headerCounts[value] = (headerCounts[value] ?? 0) + 1;
        }
      : undefined;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: command.url,
        connections: command.connections,
        duration,
        requests: [
          {
            setupRequest: (request) => {
              const i = turn++;
              return {
                ...request,
                ...(paths && { path: paths[i % paths.length]! }),
                headers: { ...request.headers, ...headerSets[i % Math.max(1, headerSets.length)] },
              };
            },
            ...(onResponse && { onResponse }),
          },
        ],
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
  const headerCounts: Record<string, number> | undefined = command.countHeader ? {} : undefined;
  const result = await run(command, command.durationSeconds, headerCounts);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]));
  const report: LoadReport = {
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors,
    warmupRequests: warmup.requests.total,
    statuses,
    ...(headerCounts && { headerCounts }),
  };
  process.send!(report);
});
