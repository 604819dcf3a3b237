/**
 * @module Plain Markdown tables for the console, so the printed output can go into the README
 * as is.
 *
 * @example markdownTable(['system', 'hit@1'], [['ours', '0.412']]);
 */

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return columns;
}

/** Renders rows under a header as a Markdown table with padded columns. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(width(cell), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: string[]) => `| ${widths.map((size, column) => pad(cells[column] ?? '', size)).join(' | ')} |`;
  const rule = `|${widths.map((size) => '-'.repeat(size + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function pad(text: string, size: number): string {
  return text + ' '.repeat(Math.max(0, size - width(text)));
}

/** A ratio in [0, 1] with three decimals; '–' when there is nothing to measure. */
export function ratio(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(3);
}

/** Milliseconds as seconds or milliseconds, whichever reads better. */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}
