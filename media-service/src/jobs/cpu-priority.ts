import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to the nice value `nice` (never raises it;
 * lowering needs no privilege), so that the kernel gives HTTP processes on the
 * same machine the CPU first while images are being made.
 *
 * On Linux a nice value belongs to each thread, and a new thread inherits its
 * creator's. `os.setPriority(0, …)` would change the main thread only, leaving
 * libuv's pool, where sharp runs, at full priority if it already exists: so every
 * thread that exists now is changed (/proc/self/task), and those made later
 * (libvips', libuv's) inherit the value from the thread that makes them.
 * Returns how many threads were changed.
 */
export function lowerCpuPriority(nice: number): number {
  if (nice <= 0) return 0;
  let threads = [0];
  if (process.platform === 'linux') {
    try {
      threads = readdirSync('/proc/self/task').map(Number);
    } catch {
      // /proc not mounted: the main thread, and what it starts from now on.
    }
  }
  let changed = 0;
  for (const thread of threads) {
    try {
      if (getPriority(thread) < nice) setPriority(thread, nice);
      changed++;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return changed;
}
