/**
 * CSV as RFC 4180 writes it, for spreadsheets people open: CRLF line ends,
 * a field in double quotes when it holds a quote, comma, CR or LF (quotes
 * inside doubled). No I/O.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`
 * or `@` as a formula (and tab or CR can smuggle one past a naive check), so
 * an attendee named `=HYPERLINK("https://evil.example","click")` would become
 * a live link in the organiser's sheet. Such a value gets a leading `'`, which
 * spreadsheets show as text and do not evaluate (OWASP's advice). Every field
 * written here is guarded: the columns this service exports are all text.
 */

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

/** The value as a spreadsheet should see it: text, never a formula. */
export function guardFormula(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}

/** One field: guarded against formulas, then quoted if RFC 4180 asks for it. Null and undefined are empty. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const guarded = guardFormula(value);
  return needsQuotes.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One record, with its CRLF. */
export function csvRow(values: ReadonlyArray<string | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * A UTF-8 byte order mark: without it Excel reads a CSV as the local code page
 * and mangles every accented name. Other readers skip it (Python's `utf-8-sig`,
 * csv-parse's `bom` option).
 */
export const utf8Bom = '\uFEFF';

/** A file name for Content-Disposition: only letters, digits, `-` and `_` survive. */
export function safeFileNamePart(value: string, fallback = 'export'): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return cleaned || fallback;
}
