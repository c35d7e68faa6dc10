import { describe, expect, it } from 'vitest';
import { captureLogger } from '@twenny/testing';
import { describeError, logContext, safeUrl } from '../src/index.ts';

describe('logger', () => {
  it('redacts authorization, cookies, passwords and tokens wherever they sit', () => {
    const { logger, lines } = captureLogger();
    logger.info({
      req: { headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'session=abc', accept: 'text/html' } },
      password: 'hunter2',
      user: { email: 'a@b.c', password: 'hunter2', token: 't0k' },
      payment: { card: { cardNumber: '4242424242424242', cvc: '123' } },
    }, 'sign in');
    const text = JSON.stringify(lines[0]);
    for (const secret of ['eyJhbGciOi', 'session=abc', 'hunter2', 't0k', '4242424242424242', '"123"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ req: { headers: { accept: 'text/html' } }, user: { email: 'a@b.c' } });
  });

  it('redacts secrets at any depth and in any letter case, in arrays and errors, without changing the caller\'s objects', () => {
    const { logger, lines } = captureLogger();
    const logged = { deep: { a: { b: { c: { Password: 'pw-deep' } } } }, list: [{ token: 'tok-in-array' }], headers: { Authorization: 'Basic c2VjcmV0' } };
    logger.info(logged, 'nested');
    const error = Object.assign(new Error('upstream refused'), { options: { headers: { cookie: 'sid=cookie-in-error' } } });
    logger.error({ err: error }, 'failed');
    // As ioredis reports a failed HELLO/AUTH: the password is an argument, not a named field.
    const redisError = Object.assign(new Error('WRONGPASS'), { command: { name: 'hello', args: ['3', 'AUTH', 'someuser', 'redis-pw-in-args'] } });
    logger.warn({ err: redisError }, 'redis error');
    logger.info({ sessionToken: 'st-value', privateKey: 'pk-value', 'proxy-authorization': 'Basic cHJveHk=', 'x-auth-token': 'xat-value', clientCredentials: 'cc-value' }, 'more secrets');
    const text = JSON.stringify(lines);
    for (const secret of ['pw-deep', 'tok-in-array', 'c2VjcmV0', 'cookie-in-error', 'redis-pw-in-args', 'st-value', 'pk-value', 'cHJveHk=', 'xat-value', 'cc-value']) expect(text).not.toContain(secret);
    expect(lines[2]).toMatchObject({ err: { message: 'WRONGPASS', command: { name: 'hello' } } });
    expect(lines[0]).toMatchObject({ deep: { a: { b: { c: { Password: '[redacted]' } } } }, list: [{ token: '[redacted]' }] });
    expect(lines[1]).toMatchObject({ err: { message: 'upstream refused' } });
    expect(logged.deep.a.b.c.Password).toBe('pw-deep');
    expect(logged.headers.Authorization).toBe('Basic c2VjcmV0');
  });

  it('stamps the request or message context on every line written inside it', () => {
    const { logger, lines } = captureLogger();
    logContext.run({ requestId: 'req-12345678', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }, () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({ requestId: 'req-12345678', traceId: 'a'.repeat(32), msg: 'inside' });
    expect(lines[1]!.requestId).toBeUndefined();
  });

  it('keeps one line\'s fields off the next line of the same request', () => {
    const { logger, lines } = captureLogger();
    logContext.run({ requestId: 'req-12345678' }, () => {
      logger.info({ orderId: 'o-1' }, 'first');
      logger.info('second');
    });
    expect(lines[0]).toMatchObject({ requestId: 'req-12345678', orderId: 'o-1' });
    expect(lines[1]).toMatchObject({ requestId: 'req-12345678', msg: 'second' });
    expect(lines[1]!.orderId).toBeUndefined();
  });

  it('makes URLs safe to log', () => {
    expect(safeUrl('postgres://svc:s3cret@db:5432/twenny')).toBe('postgres://svc:***@db:5432/twenny');
    expect(safeUrl('::nonsense')).toBe('(unparseable url)');
  });
});

describe('errors in logs', () => {
  class FakeDrizzleQueryError extends Error {
    query = 'insert into orders.attendees (email) values ($1)';
    params = ['alice@example.com'];
    constructor() {
      super('Failed query: insert into orders.attendees (email) values ($1)\nparams: alice@example.com', {
        cause: Object.assign(new Error('duplicate key value violates unique constraint "attendees_email_key"'), { code: '23505' }),
      });
      this.name = 'DrizzleQueryError';
    }
  }

  it('never writes a failed query\'s parameters, and keeps the database\'s own error', () => {
    const { logger, lines } = captureLogger();
    logger.error({ err: new FakeDrizzleQueryError() }, 'handler failed');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('alice@example.com');
    expect(text).toContain('23505');
    expect(text).toContain('duplicate key value');
  });

  it('describes an error in one line without parameters', () => {
    expect(describeError(new FakeDrizzleQueryError())).toBe('database error 23505: duplicate key value violates unique constraint "attendees_email_key"');
    expect(describeError(new TypeError('x is not a function'))).toBe('TypeError: x is not a function');
    expect(describeError('plain')).toBe('plain');
  });
});
