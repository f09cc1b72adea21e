import type { Finding } from '../model/finding.js';

export interface TextOptions {
  color: boolean;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** `path:line:col: severity code: message` and an indented hint line. */
export function formatFinding(f: Finding, options: TextOptions): string {
  let where = f.file ?? (f.env ? `[${f.env}]` : 'flagops');
  if (f.line !== undefined) where += f.column !== undefined ? `:${f.line}:${f.column}` : `:${f.line}`;
  if (!options.color) return f.hint ? `${where}: ${f.severity} ${f.code}: ${f.message}\n  hint: ${f.hint}` : `${where}: ${f.severity} ${f.code}: ${f.message}`;
  const head = `${COLORS.bold}${where}${COLORS.reset}: ${COLORS[f.severity]}${f.severity}${COLORS.reset} ${COLORS.dim}${f.code}${COLORS.reset}: ${f.message}`;
  return f.hint ? `${head}\n  ${COLORS.dim}hint: ${f.hint}${COLORS.reset}` : head;
}

export function formatFindings(findings: readonly Finding[], options: TextOptions): string {
  return findings.map((f) => formatFinding(f, options)).join('\n');
}

/**
 * The same text in pieces of `size` findings, each ending with a newline: a long report is never one string, and
 * each piece is one write. `keep` picks the findings shown (e.g. errors only) without a filtered copy of the list.
 */
export function* formatFindingsChunks(findings: readonly Finding[], options: TextOptions & { keep?: (f: Finding) => boolean }, size = 4000): Generator<string> {
  let chunk = '';
  let n = 0;
  for (const f of findings) {
    if (options.keep && !options.keep(f)) continue;
    chunk += `${formatFinding(f, options)}\n`;
    if (++n === size) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

export function summarize(findings: readonly Finding[], files: number): string {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
