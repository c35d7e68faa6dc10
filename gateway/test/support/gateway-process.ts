import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@twenny/testing';

const gatewayDir = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  url(): Promise<string>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The gateway as `npm start` runs it: main.ts, telemetry preloaded, in a process of its own. */
export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['--import', '@twenny/telemetry/register', 'src/main.ts'], {
    cwd: gatewayDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', ...env },
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
    async url() {
      const line = await waitFor(`the gateway to listen (stderr: ${stderr.join(' | ')})`, () => lines.find((l) => l.msg === 'listening'), { timeoutMs: 30_000 });
      return String(line.url);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
