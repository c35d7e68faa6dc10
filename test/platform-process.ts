import { fileURLToPath } from 'node:url';
import { startPlatformProcess, type RunningProcess } from '@twenny/testing';

export type { RunningProcess };

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** A platform process started from its workspace folder (`cwd`, relative to the repository). */
export function startProcess(cwd: string, entry: string, env: Record<string, string>): RunningProcess {
  return startPlatformProcess(`${repoRoot}/${cwd}`, entry, env);
}
