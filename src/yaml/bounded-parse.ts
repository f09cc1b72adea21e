/**
 * Bounded YAML parsing for untrusted files (DESIGN §7): a size limit, UTF-8 only, no NUL bytes, one document,
 * a depth limit, no aliases to collections (flag files need none; an alias bomb is refused before anything walks it),
 * no `__proto__` keys. Failures come back as data with a 1-based line and column, never as a thrown stack.
 *
 * js-yaml 4 with CORE_SCHEMA: dates stay strings, no `<<` merge, no custom tags; ~3.5× faster than js-yaml 5.
 */
import jsYaml from 'js-yaml';
import { createPositionRecorder } from './parse-positions.js';
import { locateInText, type TopKeys } from './text-locate.js';

/** Lookups a locator answers by reading the text before it parses it once for all. */
const TEXT_SCANS = 8;
import { yamlLib } from './yaml-lib.js';

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

export type ParseProblem = 'too-large' | 'encoding' | 'binary' | 'syntax' | 'empty' | 'multi-document' | 'alias' | 'depth' | 'proto-key';

export interface ParseFailure {
  ok: false;
  problem: ParseProblem;
  message: string;
  line?: number;
  column?: number;
}
export interface ParseSuccess {
  ok: true;
  value: unknown;
  text: string;
  /** Positions of the value's paths, recorded during the parse (only with `positions: true`). */
  locate?: Locate;
}
export type ParseResult = ParseSuccess | ParseFailure;

export interface BoundedParseOptions {
  maxBytes?: number;
  maxDepth?: number;
  /** Record positions during the parse and return a locator (no second parse to place findings). */
  positions?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseYamlBytes(bytes: Uint8Array, options: BoundedParseOptions = {}): ParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength > maxBytes) {
    return fail('too-large', `file is ${formatBytes(bytes.byteLength)}, over the ${formatBytes(maxBytes)} limit`);
  }
  // decoded first, with one call: the fast decoder keeps a NUL byte a NUL and replaces invalid sequences with U+FFFD,
  // so the usual file needs no other look at its bytes; only a file with one of them is looked at again
  const text = (bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
  if (text.includes('\0')) {
    return { ...fail('binary', 'file contains a NUL byte: not a text file'), ...lineColumnAtByte(bytes, bytes.indexOf(0)) };
  }
  if (text.includes('\uFFFD')) {
    try {
      decoder.decode(bytes);
    } catch {
      return { ...fail('encoding', 'file is not valid UTF-8'), ...firstInvalidUtf8(bytes) };
    }
  }
  return parseYamlText(text, options);
}

export function parseYamlText(text: string, options: BoundedParseOptions = {}): ParseResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  const recorder = options.positions ? createPositionRecorder() : undefined;
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, maxDepth, ...(recorder ? { listener: recorder.listener } : {}) } as jsYaml.LoadOptions);
  } catch (error) {
    return fromYamlException(error, text, maxDepth);
  }
  if (value === undefined || value === null) {
    return { ...fail('empty', 'file holds no YAML document (it is empty or only comments)'), line: 1, column: 1 };
  }
  // an alias needs a `*`, a prototype key the word itself: most files have neither and need no walk
  // (depth is already bounded by the parser)
  const walk = text.includes('*') || text.includes('__proto__') ? checkTree(value, maxDepth) : undefined;
  if (walk) {
    const { path, ...problem } = walk;
    return { ...problem, ...(recorder ? recorder.locator(value)(path) : positionOfPath(text, path)) };
  }
  return recorder ? { ok: true, value, text, locate: recorder.locator(value) } : { ok: true, value, text };
}

interface TreeProblem extends ParseFailure {
  path: (string | number)[];
}

/**
 * One walk in document order: shared collections (aliases), depth, and `__proto__` keys.
 * The path is one array pushed and popped, copied only for the problem reported.
 */
function checkTree(root: unknown, maxDepth: number): TreeProblem | undefined {
  const seen = new Set<object>();
  const path: (string | number)[] = [];
  const visit = (node: unknown): TreeProblem | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    if (seen.has(node)) {
      return { ...fail('alias', 'YAML aliases (*name) are not allowed in flag files: write the value out'), path: [...path] };
    }
    seen.add(node);
    if (path.length >= maxDepth) return { ...fail('depth', `nesting deeper than ${maxDepth} levels`), path: [...path] };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const problem = visit(node[i]);
        path.pop();
        if (problem) return problem;
      }
      return undefined;
    }
    if (Object.hasOwn(node, '__proto__')) {
      return { ...fail('proto-key', 'the key `__proto__` is not allowed'), path: [...path, '__proto__'] };
    }
    for (const key in node) {
      path.push(key);
      const problem = visit((node as Record<string, unknown>)[key]);
      path.pop();
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(root);
}

function fromYamlException(error: unknown, text: string, maxDepth: number): ParseFailure {
  if (error instanceof RangeError) return { ...fail('depth', `nesting deeper than ${maxDepth} levels`), line: 1, column: 1 };
  const e = error as { reason?: string; mark?: { line: number; column: number } };
  const reason = e.reason ?? String((error as Error)?.message ?? error);
  if (reason.startsWith('expected a single document')) {
    return { ...fail('multi-document', 'file holds several YAML documents; a flag file holds one'), ...secondDocument(text) };
  }
  if (reason.includes('maxDepth')) {
    return { ...fail('depth', `nesting deeper than ${maxDepth} levels`), ...markOf(e.mark) };
  }
  return { ...fail('syntax', `YAML syntax: ${reason}`), ...markOf(e.mark) };
}

function markOf(mark: { line: number; column: number } | undefined): { line?: number; column?: number } {
  return mark ? { line: mark.line + 1, column: mark.column + 1 } : {};
}

function secondDocument(text: string): { line?: number; column?: number } {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const second = Array.isArray(docs) ? docs[1] : undefined;
  if (!second?.range) return {};
  const pos = lineCounter.linePos(second.range[0]);
  return { line: pos.line, column: pos.col };
}

function fail(problem: ParseProblem, message: string): ParseFailure {
  return { ok: false, problem, message };
}

export type Position = { line?: number; column?: number };
export type Locate = (path: readonly (string | number)[]) => Position;

/** Line and column (1-based) of a path in the YAML text; the key's position for mapping entries. */
export function positionOfPath(text: string, path: readonly (string | number)[]): Position {
  return createLocator(text)(path);
}

/** A locator that parses the text again (js-yaml, recording positions) on first use: for text parsed without them. */
export function createLocator(text: string): Locate {
  let located: Locate | undefined;
  let scans = 0;
  let top: TopKeys | undefined;
  return (path) => {
    // the first few lookups read the text (linear each, below a top-level key found before); past them, or for an
    // unusual shape, one parse answers all
    if (!located && scans < TEXT_SCANS) {
      scans++;
      const quick = locateInText(text, path, (top ??= new Map()));
      if (quick) return quick;
    }
    if (!located) {
      const recorder = createPositionRecorder();
      try {
        const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        located = recorder.locator(jsYaml.load(body, { schema: jsYaml.CORE_SCHEMA, listener: recorder.listener } as jsYaml.LoadOptions));
      } catch {
        located = () => ({});
      }
    }
    return located(path);
  };
}

function lineColumnAtByte(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } {
  let lo = 0;
  let hi = bytes.byteLength;
  // binary search for the shortest invalid prefix
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  // the invalid sequence may have started at an earlier lead byte
  for (let k = 1; k <= 3 && lo - k >= 0; k++) {
    const b = bytes[lo - k]!;
    if (b >= 0xc0) return lineColumnAtByte(bytes, lo - k);
    if (b < 0x80) break;
  }
  return lineColumnAtByte(bytes, lo);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
