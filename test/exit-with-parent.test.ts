import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive as alive, waitFor } from '@twenny/testing';
import { repoRoot } from './platform-process.ts';

describe('a process started by npm start', () => {
  it('shuts itself down when its supervisor is killed outright', async () => {
    // sh stands in for scripts/start.ts: it starts the gateway, reports its pid, and is then killed with SIGKILL.
    const preload = `${repoRoot}/scripts/lib/exit-with-parent.ts`;
    const supervisor = spawn('sh', ['-c', `${process.execPath} --import ${preload} src/main.ts & echo $!; wait`], {
      cwd: `${repoRoot}/gateway`,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    supervisor.stdout!.on('data', (chunk) => (output += chunk));
    const pid = Number(await waitFor('the child pid', () => /^(\d+)\n/.exec(output)?.[1]));
    await waitFor('the gateway to be ready', () => output.includes('"listening"'));
    supervisor.kill('SIGKILL');
    await waitFor('the orphaned gateway to stop by itself', () => !alive(pid), { timeoutMs: 15_000 });
    expect(alive(pid)).toBe(false);
  });
});
