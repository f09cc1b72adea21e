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

/** Distinct hints whose line is kept for reuse (most findings share a handful of hints). */
const HINT_CACHE = 256;
/** Bytes of text (utf8Units) gathered into one chunk. */
const CHUNK_UNITS = 1 << 20;

/**
 * The text of `formatFindingsChunks` as UTF-8 chunks of about a megabyte. A chunk's lines are joined as one string
 * and encoded with one call, not one encoding call and one copy per finding; the parts many findings share are made
 * once: a file's `path` for its run of findings, the `: severity code: ` part per code, a hint's line per hint.
 * Every part is held as its UTF-8 bytes, one character per byte (text that is ASCII already is), so the chunk is
 * a string of one-byte characters that is copied out as it is ('latin1'): one non-ASCII character in a shared
 * hint does not turn a megabyte of text into two-byte characters to measure and encode again. No string longer
 * than a chunk is built. Every chunk is a buffer of its own: a writer may keep it until written.
 */
export function* formatFindingsBytes(findings: readonly Finding[], options: TextOptions & { keep?: (f: Finding) => boolean }): Generator<Uint8Array> {
  const lines = lineParts(options.color);
  let text = '';
  for (const f of findings) {
    if (options.keep && !options.keep(f)) continue;
    const line = lines.line(f);
    // a chunk ends before the line that would take it past its size (a longer line is a chunk of its own)
    if (text.length + line.length > CHUNK_UNITS && text !== '') {
      yield Buffer.from(text, 'latin1');
      text = '';
    }
    text += line;
  }
  if (text !== '') yield Buffer.from(text, 'latin1');
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A string's UTF-8 bytes as a string of one byte per character (ASCII is its own encoding). */
function utf8Units(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/**
 * `line(f)`: `formatFinding(f)` and its newline as UTF-8 units (utf8Units), from parts made once and reused: the
 * opening up to the position (`path` of the last file seen), the part between the position and the message per
 * severity and code, and each hint's line.
 */
export function lineParts(color: boolean): { line: (f: Finding) => string } {
  const open = color ? COLORS.bold : '';
  const mids = { error: new Map<string, string>(), warning: new Map<string, string>(), info: new Map<string, string>() };
  const hints = new Map<string, string>();
  let lastFile: string | undefined;
  let lastOpen = '';
  return {
    line(f) {
      let head: string;
      if (f.file !== undefined) {
        if (f.file !== lastFile) {
          lastFile = f.file;
          lastOpen = open + utf8Units(f.file);
        }
        head = lastOpen;
      } else head = open + utf8Units(f.env ? `[${f.env}]` : 'flagops');
      if (f.line !== undefined) head += f.column !== undefined ? `:${f.line}:${f.column}` : `:${f.line}`;
      const byCode = mids[f.severity];
      let mid = byCode.get(f.code);
      if (mid === undefined) {
        mid = utf8Units(color ? `${COLORS.reset}: ${COLORS[f.severity]}${f.severity}${COLORS.reset} ${COLORS.dim}${f.code}${COLORS.reset}: ` : `: ${f.severity} ${f.code}: `);
        byCode.set(f.code, mid);
      }
      const message = utf8Units(f.message);
      if (!f.hint) return `${head}${mid}${message}\n`;
      let hint = hints.get(f.hint);
      if (hint === undefined) {
        hint = utf8Units(`\n${formatHint(f.hint, options(color))}\n`);
        if (hints.size < HINT_CACHE) hints.set(f.hint, hint);
      }
      return `${head}${mid}${message}${hint}`;
    },
  };
}

const PLAIN: TextOptions = { color: false };
const COLORED: TextOptions = { color: true };
function options(color: boolean): TextOptions {
  return color ? COLORED : PLAIN;
}

export function summarize(findings: readonly Finding[], files: number): string {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return summaryLine({ errors, warnings, files });
}

/** `N errors, N warnings in N files`. */
export function summaryLine({ errors, warnings, files }: { errors: number; warnings: number; files: number }): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
