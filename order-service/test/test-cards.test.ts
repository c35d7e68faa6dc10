import { describe, expect, it } from 'vitest';
import { chargeTestCard, InvalidCardError, normaliseCardNumber, passesLuhn, testCardOutcome, testCards } from '../src/payments/test-cards.ts';

function reasonOf(input: string) {
  try {
    normaliseCardNumber(input);
    return 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCardError);
    return (error as InvalidCardError).reason;
  }
}

describe('test cards', () => {
  it('reads a number typed with spaces or dashes', () => {
    expect(normaliseCardNumber('4242 4242 4242 4242')).toBe('4242424242424242');
    expect(normaliseCardNumber(' 4242-4242-4242-4242 ')).toBe('4242424242424242');
    expect(normaliseCardNumber('4242424242424242')).toBe('4242424242424242');
  });

  it('refuses what is not a card number, with a reason a person can act on', () => {
    expect(reasonOf('')).toBe('missing');
    expect(reasonOf('   ')).toBe('missing');
    expect(reasonOf('4242 4242 4242 424x')).toBe('characters');
    expect(reasonOf('4242.4242.4242.4242')).toBe('characters');
    expect(reasonOf('٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢')).toBe('characters'); // Arabic-Indic digits are digits, but not card digits
    expect(reasonOf('4242 4242 42')).toBe('length');
    expect(reasonOf('4'.repeat(20))).toBe('length');
    expect(reasonOf('4'.repeat(10_000))).toBe('length');
    expect(reasonOf('4242 4242 4242 4241')).toBe('checksum');
  });

  it('accepts 12 to 19 digits when the check digit is right', () => {
    expect(reasonOf('4242 4242 4242')).toBe('valid'); // 12
    expect(reasonOf('6011 0000 0000 0000 001')).toBe('valid'); // 19
  });

  it('checks the Luhn digit', () => {
    for (const card of testCards) expect(passesLuhn(card.number.replaceAll(' ', ''))).toBe(true);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });

  it('gives each test card its outcome, and declines every other valid number', () => {
    expect(testCardOutcome('4242424242424242')).toEqual({ outcome: 'succeeded' });
    expect(testCardOutcome('4000000000000002')).toEqual({ outcome: 'failed', failureCode: 'card_declined' });
    expect(testCardOutcome('4000000000009995')).toEqual({ outcome: 'failed', failureCode: 'insufficient_funds' });
    expect(testCardOutcome('5555555555554444')).toEqual({ outcome: 'failed', failureCode: 'card_declined' });
  });

  it('charges a typed number and keeps only its last four digits', () => {
    const charge = chargeTestCard('4000 0000 0000 9995');
    expect(charge).toEqual({ last4: '9995', result: { outcome: 'failed', failureCode: 'insufficient_funds' } });
    expect(JSON.stringify(charge)).not.toContain('4000000000009995');
  });

  it('never repeats the number in its error', () => {
    try {
      chargeTestCard('4242 4242 4242 4241');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/4242/);
      expect((error as Error).name).toBe('InvalidCardError');
    }
  });
});
