import { describe, expect, it } from 'vitest';
import { within } from '../src/index.ts';

describe('within', () => {
  it('answers what the promise answers when it settles in time', async () => {
    await expect(within(Promise.resolve(42), 1000, 'answer')).resolves.toBe(42);
    await expect(within(Promise.reject(new Error('no')), 1000, 'answer')).rejects.toThrow('no');
  });

  it('gives up on a promise that never settles, naming what did not answer', async () => {
    await expect(within(new Promise(() => {}), 20, 'Redis')).rejects.toThrow('Redis: no answer within 20 ms');
  });

  it('leaves no unhandled rejection when the promise fails after the deadline', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 40));
      await expect(within(late, 10, 'slow')).rejects.toThrow('slow: no answer within 10 ms');
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
