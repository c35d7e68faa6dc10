import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './platform-process.ts';

function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/start.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start when a dependency is down', () => {
  it('names each one that is not reachable and how to start it, and starts nothing', async () => {
    const { code, output } = await runStart({ REDIS_URL: 'redis://127.0.0.1:1', AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' });
    expect(code).toBe(1);
    expect(output).toContain('Redis is not reachable');
    expect(output).toContain('redis-server --daemonize yes');
    expect(output).toContain('RabbitMQ is not reachable');
    expect(output).toContain('rabbitmq-server -detached');
    expect(output).toContain('or point AMQP_URL at a running one');
    expect(output).not.toContain('PostgreSQL is not reachable');
    expect(output).not.toContain('database "twenny" ready');
  });
});
