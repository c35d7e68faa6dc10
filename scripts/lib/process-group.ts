import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';

const colours = [36, 35, 33, 32, 34, 91, 96, 95];
const pretty = prettyFactory({ colorize: process.stdout.isTTY, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true });

function formatLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    return pretty(JSON.parse(line)).trimEnd();
  } catch {
    return line;
  }
}

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Runs several processes with prefixed, coloured, human-readable log lines (JSON
 * lines from pino are pretty-printed) and stops them all together.
 */
export function createProcessGroup() {
  const children: Child[] = [];
  const width = 14;

  function start(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
    const colour = colours[children.length % colours.length];
    const prefix = process.stdout.isTTY ? `\x1b[${colour}m${name.padEnd(width)}|\x1b[0m ` : `${name.padEnd(width)}| `;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${formatLine(line)}\n`));
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const entry = { name, process: child, exited };
    children.push(entry);
    return entry;
  }

  /** SIGTERM to all, then SIGKILL to whoever is still there after `graceMs`. */
  async function stopAll(graceMs = 20_000): Promise<void> {
    const running = children.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
    for (const child of running) child.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of running) child.process.kill('SIGKILL');
    }, graceMs);
    await Promise.all(running.map((c) => c.exited));
    clearTimeout(timer);
  }

  return { start, stopAll, children };
}
