/**
 * The cards the built-in `test` provider understands, Stripe's test numbers:
 * pure, no I/O. A card number lives only as long as the request that carries
 * it; what is kept or shown afterwards is its last four digits.
 */

export const testCards = [
  { number: '4242 4242 4242 4242', outcome: 'succeeded', hint: 'succeeds' },
  { number: '4000 0000 0000 0002', outcome: 'failed', failureCode: 'card_declined', hint: 'is declined' },
  { number: '4000 0000 0000 9995', outcome: 'failed', failureCode: 'insufficient_funds', hint: 'is declined for insufficient funds' },
] as const;

export type CardOutcome = { outcome: 'succeeded' } | { outcome: 'failed'; failureCode: string };

export interface TestCharge {
  last4: string;
  result: CardOutcome;
}

export type InvalidCardReason = 'missing' | 'characters' | 'length' | 'checksum';

/** The number typed is not a card number at all: the buyer can fix it (a 422, never a decline). */
export class InvalidCardError extends Error {
  override name = 'InvalidCardError';
  readonly reason: InvalidCardReason;

  constructor(reason: InvalidCardReason) {
    super(invalidCardMessages[reason]);
    this.reason = reason;
  }
}

/** Messages a person can act on; they never repeat the number (it may be a real one). */
const invalidCardMessages: Record<InvalidCardReason, string> = {
  missing: 'Enter a card number.',
  characters: 'A card number has only digits (spaces and dashes between them are fine).',
  length: 'A card number has 12 to 19 digits.',
  checksum: 'This card number is not valid: check it for a typo.',
};

// Longer than any card number with separators; anything longer is not worth scanning.
const maxInputLength = 64;

/** The digits of a card number as typed ("4242 4242-4242 4242"), or InvalidCardError. */
export function normaliseCardNumber(input: string): string {
  const typed = input.trim();
  if (typed === '') throw new InvalidCardError('missing');
  if (typed.length > maxInputLength) throw new InvalidCardError('length');
  if (!/^[0-9 -]+$/.test(typed)) throw new InvalidCardError('characters');
  const digits = typed.replace(/[ -]/g, '');
  if (digits.length < 12 || digits.length > 19) throw new InvalidCardError('length');
  if (!passesLuhn(digits)) throw new InvalidCardError('checksum');
  return digits;
}

/** The Luhn (mod 10) check digit test every card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * What charging these digits does. A valid number that is not one of the test
 * cards is declined (`card_declined`), as Stripe's test mode does: a real card
 * typed here by mistake must never look paid.
 */
export function testCardOutcome(digits: string): CardOutcome {
  const card = testCards.find((c) => c.number.replaceAll(' ', '') === digits);
  if (!card) return { outcome: 'failed', failureCode: 'card_declined' };
  return card.outcome === 'succeeded' ? { outcome: 'succeeded' } : { outcome: 'failed', failureCode: card.failureCode };
}

/** Reads a typed card number and charges it: the outcome and the last four digits, never the number. */
export function chargeTestCard(input: string): TestCharge {
  const digits = normaliseCardNumber(input);
  return { last4: digits.slice(-4), result: testCardOutcome(digits) };
}
