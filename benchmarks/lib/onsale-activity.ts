/**
 * What the platform's database connections are doing, sampled from
 * pg_stat_activity every few milliseconds while a benchmark runs: for each
 * sample, each connection of the named applications counts once under its
 * state (active, idle in transaction, idle), what it waits for (a row lock,
 * the client, I/O…), the statement it runs or last ran, and — when it waits for
 * a lock — what the connection holding that lock is doing. Where a pool's time
 * goes, without touching the code under test.
 */
import type postgres from 'postgres';

export interface ActivityRow {
  application: string;
  state: string;
  wait: string;
  statement: string;
  /** For a lock wait: the holder's state and statement. */
  blocker: string;
  samples: number;
}

export interface ActivityTally {
  samples: number;
  /** Connection-samples per application (its pool in use, summed over samples). */
  connections: Record<string, number>;
  rows: ActivityRow[];
}

/** The first words of a statement, enough to tell which one it is (CTE names, table names). */
export function statementLabel(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  const cte = /^with (\w+) as/i.exec(flat);
  if (cte) return `with ${cte[1]} as (… ${/(update|insert into|delete from) (orders\.\w+|"orders"\."\w+")/i.exec(flat)?.[0] ?? ''} …)`;
  return flat.slice(0, 70);
}

export function startActivitySampler(sql: postgres.Sql, applications: string[], everyMs = 50) {
  const tally = new Map<string, ActivityRow>();
  const connections: Record<string, number> = {};
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const rows = (await sql`
          select a.application_name as application, a.state, coalesce(a.wait_event_type || ':' || a.wait_event, '') as wait, a.query,
            case when a.wait_event_type = 'Lock' then (
              select coalesce(b.state, '?') || ' | ' || b.query from pg_stat_activity b where b.pid = (pg_blocking_pids(a.pid))[1]
            ) end as blocker
          from pg_stat_activity a
          where a.datname = current_database() and a.application_name in ${sql(applications)}`) as unknown as Array<{ application: string; state: string | null; wait: string; query: string; blocker: string | null }>;
        samples++;
        for (const r of rows) {
          connections[r.application] = (connections[r.application] ?? 0) + 1;
          const state = r.state ?? '?';
          // An idle connection's wait (ClientRead) and last statement say nothing.
          const idle = state === 'idle';
          const blocker = r.blocker ? `${r.blocker.split(' | ')[0]} | ${statementLabel(r.blocker.split(' | ').slice(1).join(' | '))}` : '';
          const row: Omit<ActivityRow, 'samples'> = { application: r.application, state, wait: idle ? '' : r.wait, statement: idle ? '' : statementLabel(r.query), blocker };
          const key = JSON.stringify(row);
          const entry = tally.get(key);
          if (entry) entry.samples++;
          else tally.set(key, { ...row, samples: 1 });
        }
      } catch {
        // a sample lost; the next one counts
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - started))));
    }
  })();
  return {
    async stop(): Promise<ActivityTally> {
      running = false;
      await loop;
      return { samples, connections, rows: [...tally.values()].sort((a, b) => b.samples - a.samples) };
    },
  };
}
