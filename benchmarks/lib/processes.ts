/**
 * What the HTTP benchmarks share: free ports, CPU time from /proc, and the
 * platform processes they start (each on a free port, killed at the end).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@twenny/testing';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every process a benchmark started: it kills them when done. */
export const children: ChildProcess[] = [];

// Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux).
const ticksPerSecond = 100;

function statFields(pid: number | string): string[] {
  // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based).
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/**
 * CPU seconds a process has used (user + system), from /proc; undefined where
 * there is none. Per-request CPU is steadier than requests/s on a shared, noisy
 * machine: it does not depend on what else is running.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by every process of this name that can be seen (e.g.
 * all of a local Postgres's backends); undefined if there is none. Processes
 * that exit in between are lost, so compare only over spans in which the set
 * stays the same (pooled connections do).
 */
export function cpuSecondsOfAll(name: string): number | undefined {
  let total: number | undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export interface Started {
  child: ChildProcess;
  stderr: string[];
}

/** A platform process as npm start runs it (telemetry preloaded); stdout is only scanned, stderr kept for diagnosis. */
export function startPlatformProcess(cwd: string, env: Record<string, string>, onLine?: (line: string) => void, preload = true): Started {
  const child = spawn(process.execPath, [...(preload ? ['--import', '@twenny/telemetry/register'] : []), 'src/main.ts'], {
    cwd: `${repoRoot}/${cwd}`,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  if (onLine) createInterface({ input: child.stdout! }).on('line', onLine);
  return { child, stderr };
}

/** A benchmark's own script (a hop, a ceiling) in a process of its own; stdout ignored, stderr kept. */
export function startScript(file: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return { child, stderr };
}

export async function untilReady(name: string, url: string, started: Started) {
  await waitFor(
    `${name} to be ready`,
    async () => {
      if (started.child.exitCode !== null) throw new Error(`${name} exited with ${started.child.exitCode}: ${started.stderr.slice(-5).join(' | ')}`);
      return (await fetch(url).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

/** Ends one child (SIGTERM) and waits for it to be gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Ends every child started here. */
export async function stopChildren(): Promise<void> {
  await Promise.all(children.map(stopChild));
}
