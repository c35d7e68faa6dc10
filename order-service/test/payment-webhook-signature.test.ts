import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureError } from '../src/payments/payment-provider.ts';
import { signWebhook, verifyWebhookSignature } from '../src/payments/webhook-signature.ts';

const secret = 'whsec_test_0123456789abcdef';
const body = Buffer.from('{"eventId":"evt_1","outcome":"succeeded"}');
const now = Date.UTC(2030, 0, 1, 12, 0, 0);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookSignatureError);
    return (error as Error).message;
  }
  throw new Error('expected the signature to be refused');
}

describe('webhook signatures', () => {
  it('signs like Stripe: t=<seconds>,v1=<hex hmac of "t.body">', () => {
    const header = signWebhook(body, secret, now);
    const t = Math.floor(now / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body.toString()}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies what it signed, and returns the signed time', () => {
    const header = signWebhook(body, secret, now);
    expect(verifyWebhookSignature(body, header, secret, { nowMs: now })).toBe(Math.floor(now / 1000));
    // The same bytes as a string verify too.
    expect(verifyWebhookSignature(body.toString(), header, secret, { nowMs: now })).toBe(Math.floor(now / 1000));
  });

  it('refuses a changed body, another secret, or a changed timestamp', () => {
    const header = signWebhook(body, secret, now);
    expect(refusal(() => verifyWebhookSignature(Buffer.from(body.toString().replace('succeeded', 'failed')), header, secret, { nowMs: now }))).toMatch(/no webhook signature matches/);
    expect(refusal(() => verifyWebhookSignature(body, header, 'another-secret-of-some-length', { nowMs: now }))).toMatch(/no webhook signature matches/);
    const shifted = header.replace(/^t=(\d+)/, (_, t) => `t=${Number(t) + 1}`);
    expect(refusal(() => verifyWebhookSignature(body, shifted, secret, { nowMs: now }))).toMatch(/no webhook signature matches/);
  });

  it('refuses a stale or future timestamp outside the tolerance', () => {
    const header = signWebhook(body, secret, now);
    expect(verifyWebhookSignature(body, header, secret, { nowMs: now + 300_000 })).toBeTypeOf('number');
    expect(refusal(() => verifyWebhookSignature(body, header, secret, { nowMs: now + 301_000 }))).toMatch(/tolerance/);
    expect(refusal(() => verifyWebhookSignature(body, header, secret, { nowMs: now - 301_000 }))).toMatch(/tolerance/);
    expect(refusal(() => verifyWebhookSignature(body, header, secret, { nowMs: now + 11_000, toleranceSeconds: 10 }))).toMatch(/tolerance/);
  });

  it('accepts any matching v1 while secrets are rotated', () => {
    const rotating = signWebhook(body, ['new-secret-0123456789', secret], now);
    expect(rotating.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhookSignature(body, rotating, secret, { nowMs: now })).toBeTypeOf('number');
    expect(verifyWebhookSignature(body, rotating, 'new-secret-0123456789', { nowMs: now })).toBeTypeOf('number');
    // A receiver holding both secrets accepts a webhook signed with either.
    expect(verifyWebhookSignature(body, signWebhook(body, secret, now), ['new-secret-0123456789', secret], { nowMs: now })).toBeTypeOf('number');
  });

  it('ignores signature schemes it does not know', () => {
    const header = `${signWebhook(body, secret, now)},v0=abc,v2=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature(body, header, secret, { nowMs: now })).toBeTypeOf('number');
  });

  it('refuses hostile headers without crashing', () => {
    const t = Math.floor(now / 1000);
    const good = signWebhook(body, secret, now);
    const v1 = good.split('v1=')[1]!;
    const hostile: Array<string | string[] | undefined> = [
      undefined,
      '',
      'garbage',
      ',,,',
      '=',
      't=',
      `t=${t}`,
      `v1=${v1}`,
      `t=abc,v1=${v1}`,
      `t=-1,v1=${v1}`,
      `t=1e9,v1=${v1}`,
      `t=${t},t=${t},v1=${v1}`,
      `t=${'9'.repeat(400)},v1=${v1}`,
      `t=${t},v1=${'z'.repeat(64)}`,
      `t=${t},v1=${v1.slice(0, 62)}`,
      `t=${t},v1=${v1}00`,
      `t=${t},v1=`,
      `t=${t},${'v1=' + '0'.repeat(64) + ','}`.repeat(1),
      `t=${t},${Array.from({ length: 9 }, () => `v1=${'0'.repeat(64)}`).join(',')},v1=${v1}`,
      `t=${t},v1=${v1},${'x'.repeat(2_000_000)}`,
      [good, good],
      'ｔ=1,ｖ1=00',
      '\u0000'.repeat(100),
    ];
    for (const header of hostile) {
      expect(() => verifyWebhookSignature(body, header, secret, { nowMs: now }), String(header).slice(0, 80)).toThrow(WebhookSignatureError);
    }
  });

  it('signs nothing without a secret', () => {
    expect(() => signWebhook(body, [], now)).toThrow(/secret/);
    expect(() => signWebhook(body, '', now)).toThrow(/secret/);
  });
});
