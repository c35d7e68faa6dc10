/** How the benchmarks print: markdown rows, numbers with thousands separators. */

export const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** A number with thousands separators and `digits` decimals; `n/a` for NaN or ±Infinity. */
export const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
