/** One line of the benchmark table, and how the table is printed. */

export interface Figure {
  /** Which benchmark: `size`, `time-to-ready`, ... */
  bench: string;
  figure: string;
  value: string;
  target: string;
  /** `null`: informational, or not measurable now (the value says why). */
  pass: boolean | null;
  /** The raw numbers behind `value`, for the JSON file. */
  data?: Record<string, unknown>;
}

export function na(bench: string, figure: string, target: string, reason: string): Figure {
  return { bench, figure, value: `n/a (${reason})`, target, pass: null };
}

export function verdict(pass: boolean | null, value: string): string {
  if (pass === true) return 'pass';
  if (pass === false) return 'FAIL';
  return value.startsWith('n/a') ? 'n/a' : 'info';
}

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.figure, f.value, f.target, verdict(f.pass, f.value)]);
  const header = ['figure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
