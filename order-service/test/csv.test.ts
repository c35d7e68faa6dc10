import { describe, expect, it } from 'vitest';
import { csvField, csvRow, guardFormula, safeFileNamePart } from '../src/domain/csv.ts';

/** A minimal RFC 4180 reader, to check that what is written reads back as written. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  return records;
}

describe('csvField', () => {
  it('leaves plain values alone and writes nothing for a missing one', () => {
    expect(csvField('Ada Lovelace')).toBe('Ada Lovelace');
    expect(csvField('ada@example.test')).toBe('ada@example.test');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes a value with a comma, a quote, CR or LF, doubling the quotes (RFC 4180)', () => {
    expect(csvField('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvField('Ada "Countess" Lovelace')).toBe('"Ada ""Countess"" Lovelace"');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it("prefixes a value a spreadsheet would run as a formula with '", () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(guardFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvField('=HYPERLINK("https://evil.example","click")')).toBe('"\'=HYPERLINK(""https://evil.example"",""click"")"');
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
  });

  it('does not touch a formula character that is not first', () => {
    expect(csvField('Jean-Luc')).toBe('Jean-Luc');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('ada+tickets@example.test')).toBe('ada+tickets@example.test');
  });
});

describe('csvRow', () => {
  it('ends each record with CRLF and reads back to the same values (guarded ones with their prefix)', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'multi\nline', '=cmd|\' /C calc\'!A0', '', 'Zoë Ñúñez'];
    const row = csvRow(values);
    expect(row.endsWith('\r\n')).toBe(true);
    expect(parseCsv(row + csvRow(['second']))).toEqual([
      ['plain', 'with, comma', 'with "quotes"', 'multi\nline', "'=cmd|' /C calc'!A0", '', 'Zoë Ñúñez'],
      ['second'],
    ]);
  });

  it('writes missing values as empty fields', () => {
    expect(csvRow(['a', null, undefined, 'b'])).toBe('a,,,b\r\n');
  });
});

describe('safeFileNamePart', () => {
  it('keeps what is safe in a Content-Disposition file name and nothing else', () => {
    expect(safeFileNamePart('amsterdam-jazz-night-5d2c6a')).toBe('amsterdam-jazz-night-5d2c6a');
    expect(safeFileNamePart('a"b\r\nc/../d')).toBe('a-b-c-d');
    expect(safeFileNamePart('"";', 'fallback')).toBe('fallback');
  });
});
