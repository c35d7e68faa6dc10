import { describe, expect, it } from 'vitest';
import { formatMoney, formatPriceRange, parseMoney } from '../../src/lib/format.ts';

/** Intl puts a no-break space between a currency code and the amount: compare as read. */
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatMoney: minor units as money, by the currency’s own decimals', () => {
  it.each([
    [1500, 'JPY', 'JP¥1,500'],
    [0, 'JPY', 'JP¥0'],
    [1500, 'EUR', '€15.00'],
    [5, 'EUR', '€0.05'],
    [100_000_000, 'EUR', '€1,000,000.00'],
    [1500, 'KWD', 'KWD 1.500'],
    [1, 'KWD', 'KWD 0.001'],
    [-250, 'EUR', '-€2.50'],
  ])('shows %d %s as %s', (minor, currency, shown) => {
    expect(plain(formatMoney(minor, currency))).toBe(shown);
  });

  it('says "Free" only for a free range, and a range otherwise', () => {
    expect(formatPriceRange(0, 0, 'EUR')).toBe('Free');
    expect(formatPriceRange(0, 1500, 'EUR')).toBe('€0.00 – €15.00');
    expect(plain(formatPriceRange(2500, 2500, 'KWD'))).toBe('KWD 2.500');
  });
});

describe('parseMoney: a price as an organiser types it', () => {
  it.each([
    ['12.50', 'EUR', 1250],
    ['12.5', 'EUR', 1250],
    ['12,50', 'EUR', 1250],
    ['12', 'EUR', 1200],
    ['0', 'EUR', 0],
    ['0.01', 'EUR', 1],
    ['  7.10\n', 'EUR', 710],
    ['\u00a09', 'EUR', 900],
    ['007', 'EUR', 700],
    ['1500', 'JPY', 1500],
    ['0', 'JPY', 0],
    ['12.345', 'KWD', 12_345],
    ['12.3', 'KWD', 12_300],
    ['12', 'KWD', 12_000],
    ['999999999.99', 'EUR', 99_999_999_999],
    ['999999999.999', 'KWD', 999_999_999_999],
  ])('reads %j %s as %d minor units', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toBe(minor);
  });

  it.each([
    ['more decimals than euros have', '12.345', 'EUR'],
    ['decimals for yen', '12.5', 'JPY'],
    ['a thousands separator for yen (not 1 yen)', '1,000', 'JPY'],
    ['a thousands separator for euros (not 1 euro)', '1,000', 'EUR'],
    ['four decimals for dinars', '1.0000', 'KWD'],
    ['empty', '', 'EUR'],
    ['blank', '   ', 'EUR'],
    ['a minus', '-5', 'EUR'],
    ['a plus', '+5', 'EUR'],
    ['an exponent', '1e9', 'EUR'],
    ['hexadecimal', '0x10', 'EUR'],
    ['NaN', 'NaN', 'EUR'],
    ['Infinity', 'Infinity', 'EUR'],
    ['a word', 'abc', 'EUR'],
    ['a symbol', '€12', 'EUR'],
    ['a code', '12 EUR', 'EUR'],
    ['full-width digits', '０１', 'EUR'],
    ['Arabic-Indic digits', '١٢', 'KWD'],
    ['a space in the number', '1 000', 'EUR'],
    ['two points', '1.2.3', 'EUR'],
    ['a trailing point', '12.', 'EUR'],
    ['a leading point', '.5', 'EUR'],
    ['ten digits', '1234567890', 'EUR'],
    ['10 KB of digits', '9'.repeat(10_000), 'EUR'],
    ['10 KB of decimals', `1.${'5'.repeat(10_000)}`, 'KWD'],
    ['a NUL', '12\u00005', 'EUR'],
    ['HTML', '<b>12</b>', 'EUR'],
  ])('refuses %s (%j %s)', (_what, text, currency) => {
    expect(parseMoney(text, currency)).toBeUndefined();
  });

  it('reads every amount it shows back to the same minor units', () => {
    for (const [currency, digits] of [['JPY', 0], ['EUR', 2], ['KWD', 3]] as const) {
      for (const minor of [0, 1, 9, 10, 99, 100, 101, 12_345, 99_999, 100_000_000]) {
        const typed = (minor / 10 ** digits).toFixed(digits);
        expect(parseMoney(typed, currency), `${typed} ${currency}`).toBe(minor);
      }
    }
  });
});
