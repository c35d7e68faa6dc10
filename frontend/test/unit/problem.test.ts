import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/lib/server/problem.ts';

describe('toProblem: what the API says, as a person reads it', () => {
  it('takes the detail of a problem+json, and per-field reasons without their location prefix', () => {
    const problem = toProblem(409, { type: 'https://twenny.dev/problems/conflict', title: 'Conflict', status: 409, detail: 'Only 2 left of Standing.', left: [{ ticketTypeId: 't1', available: 2 }] });
    expect(problem).toMatchObject({ status: 409, title: 'Conflict', message: 'Only 2 left of Standing.', fields: {} });
    expect(problem.extra.left).toEqual([{ ticketTypeId: 't1', available: 2 }]);
  });

  it('replaces the developer sentence of a validation problem with the reasons themselves', () => {
    const problem = toProblem(400, {
      title: 'Invalid input',
      detail: 'Some input is not valid; see `errors` for what to fix.',
      errors: [
        { name: 'body.attendees.0.email', reason: 'Enter an email address.' },
        { name: 'query.limit', reason: 'At most 100.' },
      ],
    });
    expect(problem.fields).toEqual({ 'attendees.0.email': 'Enter an email address.', limit: 'At most 100.' });
    expect(problem.message).toBe('Enter an email address. At most 100.');
  });

  it("reads Better-Auth's { message, code }", () => {
    expect(toProblem(401, { message: 'Invalid email or password', code: 'INVALID_EMAIL_OR_PASSWORD' })).toMatchObject({ message: 'Invalid email or password', code: 'INVALID_EMAIL_OR_PASSWORD' });
  });

  it.each([
    ['no body', undefined],
    ['a string', 'Internal Server Error'],
    ['an array', [1, 2]],
    ['hostile errors', { errors: [null, 42, { name: 7, reason: {} }, { name: 'body.x' }] }],
  ])('falls back to a plain sentence for %s', (_what, body) => {
    const problem = toProblem(500, body);
    expect(problem.message).toBe('Something went wrong on our side. Please try again in a moment.');
    expect(problem.fields).toEqual({});
  });

  it('never shows more than sentences: a 429 without detail says to wait', () => {
    expect(toProblem(429, {}).message).toBe('Too many attempts: wait a moment and try again.');
  });
});
