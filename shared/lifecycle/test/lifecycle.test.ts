import { describe, expect, it } from 'vitest';
import { captureLogger } from '@twenny/testing';
import { createLifecycle } from '../src/index.ts';

describe('lifecycle', () => {
  it('goes not-ready first, then stops ingress, workers and connections in that order', async () => {
    const { logger } = captureLogger();
    const lifecycle = createLifecycle({ logger, timeoutMs: 1_000 });
    const order: string[] = [];
    lifecycle.onStop('pool', () => void order.push(`pool ready=${lifecycle.isReady}`), 'connections');
    lifecycle.onStop('consumer', () => void order.push('consumer'));
    lifecycle.onStop('http', () => void order.push('http'), 'ingress');
    lifecycle.markReady();
    expect(lifecycle.isReady).toBe(true);
    await lifecycle.stop('test');
    expect(order).toEqual(['http', 'consumer', 'pool ready=false']);
    expect(lifecycle.isStopping).toBe(true);
  });

  it('keeps going when a step fails, and bounds the whole shutdown', async () => {
    const { logger, lines } = captureLogger();
    const lifecycle = createLifecycle({ logger, timeoutMs: 200 });
    const reached: string[] = [];
    lifecycle.onStop('broken', () => Promise.reject(new Error('boom')));
    lifecycle.onStop('after broken', () => void reached.push('after broken'));
    lifecycle.onStop('hangs', () => new Promise(() => {}), 'connections');
    const started = Date.now();
    await lifecycle.stop('test');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(reached).toEqual(['after broken']);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutdown step failed', 'shutdown did not finish in time']));
  });

  it('stops once, however often it is asked', async () => {
    const { logger } = captureLogger();
    const lifecycle = createLifecycle({ logger, timeoutMs: 1_000 });
    let runs = 0;
    lifecycle.onStop('count', () => void runs++);
    await Promise.all([lifecycle.stop('a'), lifecycle.stop('b')]);
    expect(runs).toBe(1);
  });
});
