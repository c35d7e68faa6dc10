import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { uniquePrefix } from '@twenny/testing';
import { repoRoot } from './platform-process.ts';

function dlq(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['shared/messaging/src/dlq-cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run dlq', () => {
  it('explains its usage when called wrongly', async () => {
    for (const args of [[], ['purge', 'catalog-service'], ['list'], ['list', 'catalog-service', '--limit', 'lots'], ['list', 'catalog-service', '--bogus']]) {
      const { code, stderr } = await dlq(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toContain('usage: npm run dlq -- list <consumer>');
    }
    const unknown = await dlq(['list', 'no-such-service']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown consumer "no-such-service"');
  });

  it('says clearly when the dead-letter queue does not exist, without a stack trace', async () => {
    const { code, stderr } = await dlq(['list', 'catalog-service'], { AMQP_PREFIX: `${uniquePrefix()}.` });
    expect(code).toBe(1);
    expect(stderr).toContain('no dead-letter queue for catalog-service');
    expect(stderr).not.toContain('    at ');
  });

  it('refuses a malformed AMQP_URL with one line', async () => {
    const { code, stderr } = await dlq(['list', 'catalog-service'], { AMQP_URL: 'http://nope' });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('AMQP_URL');
  });
});
