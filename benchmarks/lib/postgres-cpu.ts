/**
 * CPU time of the Postgres processes that work for one database: its backends
 * (recognised by the database name in their process title) and the server's
 * WAL writer, background writer and checkpointer (which every database shares),
 * read from /proc. Unlike summing every `postgres` process, backends of other
 * databases coming and going on a shared server do not disturb the figure.
 */
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ: 100 on Linux.
const ticksPerSecond = 100;
const sharedWorkers = /: (walwriter|background writer|checkpointer)\s*$/;

/** CPU seconds so far, per process, of `database`'s backends (except `exclude`) and the shared writers. */
export function postgresCpuByPid(database: string, exclude: ReadonlySet<number> = new Set()): Map<number, number> {
  const result = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return result;
  }
  for (const pid of pids) {
    if (exclude.has(Number(pid))) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (!title.includes(` ${database} `) && !sharedWorkers.test(title)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(Number(pid), (Number(fields[11]) + Number(fields[12])) / ticksPerSecond);
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/**
 * CPU seconds used between two readings: processes present in both count their
 * difference, processes that appeared in between count all they used (they
 * started within the span); processes that ended in between are lost.
 */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
