/**
 * The worker yields the CPU: every thread of its process, those that existed
 * before and those made after, runs at the configured nice value. Checked in a
 * child process (lowering the test runner's own priority would outlast the test).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const module = fileURLToPath(new URL('../src/jobs/cpu-priority.ts', import.meta.url));

const script = `
import { readdirSync, readFileSync } from 'node:fs';
import { pbkdf2 } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { lowerCpuPriority } from ${JSON.stringify(module)};
const niceOf = (task) => Number(readFileSync('/proc/self/task/' + task + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
// libuv's pool exists before (as in the worker, where module loading and connections start it).
await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve) => pbkdf2('x', 'y', 1000, 32, 'sha256', resolve))));
const before = readdirSync('/proc/self/task').length;
lowerCpuPriority(7);
// A thread made afterwards inherits it.
const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
await new Promise((resolve) => worker.once('online', resolve));
const nice = readdirSync('/proc/self/task').map(niceOf);
await worker.terminate();
console.log(JSON.stringify({ before, nice }));
`;

it.runIf(process.platform === 'linux')('puts every thread of the process at the nice value, those made later too', () => {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const { before, nice } = JSON.parse(output) as { before: number; nice: number[] };
  expect(before).toBeGreaterThan(4);
  expect(nice.length).toBeGreaterThan(before);
  expect(nice.every((n) => n === 7)).toBe(true);
});
