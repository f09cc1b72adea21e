import type { Finding } from '../model/finding.js';

export interface TextOptions {
  color: boolean;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** `path:line:col: severity code: message` and an indented hint line. */
export function formatFinding(f: Finding, options: TextOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${COLORS.reset}` : text);
  const where = [f.file ?? (f.env ? `[${f.env}]` : 'flagops'), f.line, f.line !== undefined ? f.column : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  const head = `${paint(COLORS.bold, where)}: ${paint(COLORS[f.severity], f.severity)} ${paint(COLORS.dim, f.code)}: ${f.message}`;
  return f.hint ? `${head}\n  ${paint(COLORS.dim, `hint: ${f.hint}`)}` : head;
}

export function formatFindings(findings: readonly Finding[], options: TextOptions): string {
  return findings.map((f) => formatFinding(f, options)).join('\n');
}

/** The same text in pieces of `size` findings, each ending with a newline: a long report is never one string. */
export function* formatFindingsChunks(findings: readonly Finding[], options: TextOptions, size = 1000): Generator<string> {
  for (let i = 0; i < findings.length; i += size) {
    let chunk = '';
    for (const f of findings.slice(i, i + size)) chunk += `${formatFinding(f, options)}\n`;
    yield chunk;
  }
}

export function summarize(findings: readonly Finding[], files: number): string {
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')} in ${plural(files, 'file')}`;
}
