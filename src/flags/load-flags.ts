/**
 * Finds and reads flag files (DESIGN §1–2): every `*.yml`/`*.yaml` below the configured folders, read with
 * a size bound and parsed with the bounded parser. Each document carries its problems as findings.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import type { FlagFile } from '../generated/flag-file.js';
import type { Finding } from '../model/finding.js';
import { createLocator, DEFAULT_MAX_BYTES, parseYamlBytes, type Locate } from '../yaml/bounded-parse.js';

export interface FlagDocument {
  /** Path relative to the config's folder, with forward slashes. */
  file: string;
  abs: string;
  /** The file's base name without extension: what `name` must equal. */
  stem: string;
  /** Parsed content when the file is a YAML mapping; undefined when it could not be parsed. */
  data?: Record<string, unknown>;
  text?: string;
  locate: Locate;
  /** Problems found while reading and parsing. */
  findings: Finding[];
}

/** A document that passed every rule: its data has the flag file's shape. */
export interface FlagDocumentValid extends FlagDocument {
  data: Record<string, unknown> & FlagFile;
}

export interface LoadFlagsOptions {
  /** The config's folder: reported paths are relative to it. */
  dir: string;
  flagDirs: readonly string[];
  /** Only these files (absolute or relative to cwd), as `flagops validate FILE...` passes them. */
  files?: readonly string[];
  cwd?: string;
  maxBytes?: number;
}

export function discoverFlagFiles(flagDirs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const dir of flagDirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!isYamlName(entry) || entry.split(sep).some((part) => part.startsWith('.'))) continue;
      out.add(join(dir, entry));
    }
  }
  return [...out].sort();
}

function isYamlName(name: string): boolean {
  const ext = extname(name);
  return ext === '.yml' || ext === '.yaml';
}

export function loadFlagDocuments(options: LoadFlagsOptions): FlagDocument[] {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.files ? options.files.map((f) => resolve(cwd, f)) : discoverFlagFiles(options.flagDirs);
  return paths.map((abs) => readFlagDocument(abs, options.dir, options.maxBytes ?? DEFAULT_MAX_BYTES));
}

export function readFlagDocument(abs: string, dir: string, maxBytes: number): FlagDocument {
  const file = relative(dir, abs).split(sep).join('/');
  const stem = basename(abs, extname(abs));
  const doc: FlagDocument = { file, abs, stem, locate: () => ({}), findings: [] };
  const finding = (code: string, message: string, extra: Partial<Finding> = {}): FlagDocument => {
    doc.findings.push({ code, severity: 'error', file, message, ...extra });
    return doc;
  };
  let bytes: Buffer;
  try {
    const stat = statSync(abs);
    if (!stat.isFile()) return finding('file/unreadable', 'not a regular file');
    if (stat.size > maxBytes) {
      return finding('yaml/too-large', `file is ${stat.size} bytes, over the ${maxBytes}-byte limit`, {
        hint: 'a flag file is a few hundred bytes; is this the right file?',
      });
    }
    bytes = readBounded(abs, Math.min(stat.size + 1, maxBytes + 1));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return finding('file/unreadable', code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})`);
  }
  const parsed = parseYamlBytes(bytes, { maxBytes });
  if (!parsed.ok) {
    const hint =
      parsed.problem === 'too-large'
        ? 'a flag file is a few hundred bytes; is this the right file?'
        : parsed.problem === 'alias'
          ? 'flag files need no anchors or aliases'
          : undefined;
    return finding(`yaml/${parsed.problem}`, parsed.message, { line: parsed.line, column: parsed.column, ...(hint ? { hint } : {}) });
  }
  doc.text = parsed.text;
  doc.locate = createLocator(parsed.text);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return finding('yaml/not-a-mapping', `the top level must be a mapping of keys (name, type, environments…), not ${Array.isArray(value) ? 'a list' : typeof value}`, {
      line: 1,
      column: 1,
    });
  }
  doc.data = value as Record<string, unknown>;
  return doc;
}

/** Reads at most `limit` bytes, even if the file grew since it was measured (then the parser refuses it). */
function readBounded(abs: string, limit: number): Buffer {
  const fd = openSync(abs, 'r');
  try {
    const buffer = Buffer.allocUnsafe(limit);
    let read = 0;
    for (;;) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0 || read + n >= buffer.length) {
        read += n;
        break;
      }
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
