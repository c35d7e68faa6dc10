import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitFor } from './wait-for.ts';

export interface RunningProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<number | null>;
  /** The port from the process's "listening" log line. */
  port(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a platform process as `npm start` does (Node 24, telemetry preloaded),
 * in the folder `cwd` (absolute), collecting its JSON log lines.
 */
export function startPlatformProcess(cwd: string, entry: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', '@twenny/telemetry/register', entry], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line));
    } catch {
      stderr.push(line);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr,
    exited,
    async port() {
      const line = await waitFor(`${cwd} to listen (stderr: ${stderr.join(' | ')})`, () => lines.find((l) => l.msg === 'listening'), { timeoutMs: 30_000 });
      return Number(new URL(String(line.url)).port);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
