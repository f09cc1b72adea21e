import type { Finding } from '../model/finding.js';

export interface TextOptions {
  color: boolean;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** `path:line:col: severity code: message` and an indented hint line. */
export function formatFinding(f: Finding, options: TextOptions): string {
  const head = formatHead(f, options);
  return f.hint ? `${head}\n${formatHint(f.hint, options)}` : head;
}

/** The first line of a finding: `path:line:col: severity code: message`. */
function formatHead(f: Finding, options: TextOptions): string {
  let where = f.file ?? (f.env ? `[${f.env}]` : 'flagops');
  if (f.line !== undefined) where += f.column !== undefined ? `:${f.line}:${f.column}` : `:${f.line}`;
  if (!options.color) return `${where}: ${f.severity} ${f.code}: ${f.message}`;
  return `${COLORS.bold}${where}${COLORS.reset}: ${COLORS[f.severity]}${f.severity}${COLORS.reset} ${COLORS.dim}${f.code}${COLORS.reset}: ${f.message}`;
}

/** The indented hint line, without a newline. */
function formatHint(hint: string, options: TextOptions): string {
  return options.color ? `  ${COLORS.dim}hint: ${hint}${COLORS.reset}` : `  hint: ${hint}`;
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

/** Distinct hints whose encoded line is kept for reuse (most findings share a handful of hints). */
const HINT_CACHE = 256;
/** Bytes per chunk of `formatFindingsBytes`. */
const CHUNK_BYTES = 1 << 20;

/**
 * The text of `formatFindingsChunks` as UTF-8 chunks of about a megabyte: each line is encoded into the chunk as it
 * is formatted, and a hint line shared by many findings is encoded once. No long string is built, flattened and
 * measured before it is written (a report of 200,000 warnings is tens of megabytes of text). Every chunk is a
 * buffer of its own: a writer may keep it until written.
 */
export function* formatFindingsBytes(findings: readonly Finding[], options: TextOptions & { keep?: (f: Finding) => boolean }): Generator<Uint8Array> {
  const hints = new Map<string, Buffer>();
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = 0;
  for (const f of findings) {
    if (options.keep && !options.keep(f)) continue;
    const head = formatHead(f, options);
    let hint: Buffer | undefined;
    if (f.hint) {
      hint = hints.get(f.hint);
      if (!hint) {
        hint = Buffer.from(`\n${formatHint(f.hint, options)}`);
        if (hints.size < HINT_CACHE) hints.set(f.hint, hint);
      }
    }
    // at most 3 bytes per UTF-16 unit, and the newline
    const need = head.length * 3 + (hint ? hint.length : 0) + 1;
    if (at + need > chunk.length) {
      if (at > 0) yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
      at = 0;
    }
    at += chunk.write(head, at);
    if (hint) at += hint.copy(chunk, at);
    chunk[at++] = 0x0a;
  }
  if (at > 0) yield chunk.subarray(0, at);
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
