/**
 * Finds and reads flag files (DESIGN §1–2): every `*.yml`/`*.yaml` below the configured folders, read with
 * a size bound and parsed with the bounded parser. Each document carries its problems as findings.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, type Dirent } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
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
  // dirent types come with the directory listing: no stat per entry (a recursive readdirSync stats each one)
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = `${dir}${sep}${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isYamlName(entry.name)) out.add(path);
    }
  };
  for (const dir of flagDirs) walk(dir);
  return [...out].sort();
}

function isYamlName(name: string): boolean {
  return name.endsWith('.yml') || name.endsWith('.yaml');
}

/** The absolute paths `loadFlagDocuments` reads, in its order. */
export function flagFilePaths(options: LoadFlagsOptions): string[] {
  const cwd = options.cwd ?? process.cwd();
  return options.files ? options.files.map((f) => resolve(cwd, f)) : discoverFlagFiles(options.flagDirs);
}

export function loadFlagDocuments(options: LoadFlagsOptions): FlagDocument[] {
  return flagFilePaths(options).map(createFlagReader({ dir: options.dir, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES }));
}

/** A flag file is a few hundred bytes: the first read takes it whole, and only a bigger (or empty) one is stat'ed. */
const FIRST_READ = 16 * 1024;

/** Reads flag files one after another, reusing one buffer for the first read of each. */
export function createFlagReader(options: { dir: string; maxBytes: number }): (abs: string) => FlagDocument {
  const scratch = Buffer.allocUnsafe(Math.min(FIRST_READ, options.maxBytes + 1));
  const inside = insideRepository(options.dir);
  const prefix = `${options.dir}${sep}`;
  return (abs) => readDocument({ abs, dir: options.dir, prefix, maxBytes: options.maxBytes, scratch, inside });
}

/**
 * A file of the repository (its path is below the config's folder) must also *be* there: a symbolic link — of
 * the file or of a folder on its way — that leads out of the repository is refused unread, so its content can
 * never reach a finding or a report. Files named outside the repository (`validate /elsewhere/x.yml`) are the
 * user's own choice and read as given.
 */
function insideRepository(dir: string): Inside {
  let realDir: string | undefined;
  // a folder's real path once per folder, not once per file
  const folders = new Map<string, boolean>();
  const prefix = `${dir}${sep}`;
  const within = (path: string): boolean => {
    try {
      realDir ??= realpathSync.native(dir);
      const real = realpathSync.native(path);
      return real === realDir || real.startsWith(`${realDir}${sep}`);
    } catch {
      return true; // missing: reported as unreadable by the read itself
    }
  };
  return {
    folder(abs) {
      if (!abs.startsWith(prefix)) return true;
      const folder = abs.slice(0, abs.lastIndexOf(sep));
      let ok = folders.get(folder);
      if (ok === undefined) folders.set(folder, (ok = within(folder)));
      return ok;
    },
    link(abs) {
      return !abs.startsWith(prefix) || within(abs);
    },
  };
}

/** A relative path with forward slashes (on POSIX it already has them). */
/** A flag file's path as reports give it (`FlagDocument.file`): relative to `dir`, with forward slashes. */
export function reportedPath(abs: string, dir: string, prefix = `${dir}${sep}`): string {
  return slashes(abs.startsWith(prefix) ? abs.slice(prefix.length) : relative(dir, abs));
}

function slashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** `folder`: the file's folder lies inside the repository; `link`: where a file that is a symbolic link leads does. */
interface Inside {
  folder(abs: string): boolean;
  link(abs: string): boolean;
}

export function readFlagDocument(abs: string, dir: string, maxBytes: number): FlagDocument {
  return createFlagReader({ dir, maxBytes })(abs);
}

interface ReadDocumentOptions {
  abs: string;
  dir: string;
  /** `dir` and a separator: what the paths of the repository's files start with. */
  prefix: string;
  maxBytes: number;
  scratch: Buffer;
  inside: Inside;
}

/**
 * Parsed once, without recording positions: a finding's position is read off the text (text-locate.ts), and only
 * an unusual shape or many findings in one file make its locator parse it again, once.
 */
function readDocument({ abs, dir, prefix, maxBytes, scratch, inside }: ReadDocumentOptions): FlagDocument {
  const file = reportedPath(abs, dir, prefix);
  const base = abs.slice(abs.lastIndexOf(sep) + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const doc: FlagDocument = { file, abs, stem, locate: () => ({}), findings: [] };
  const finding = (code: string, message: string, extra: Partial<Finding> = {}): FlagDocument => {
    doc.findings.push({ code, severity: 'error', file, message, ...extra });
    return doc;
  };
  const outside = (): FlagDocument =>
    finding('file/outside-repository', 'a symbolic link that leads outside the repository: flagops does not read it', {
      hint: 'keep flag files inside the repository; replace the link with the file itself',
    });
  if (!inside.folder(abs)) return outside();
  // opened without following a link; only a file that is one has its target checked
  let read = readBounded(abs, maxBytes, scratch, true);
  if ('link' in read) {
    if (!inside.link(abs)) return outside();
    read = readBounded(abs, maxBytes, scratch, false);
  }
  if ('link' in read) return finding('file/unreadable', 'cannot read the file (ELOOP)');
  if ('error' in read) return finding('file/unreadable', read.error);
  if ('size' in read) {
    return finding('yaml/too-large', `file is ${read.size} bytes, over the ${maxBytes}-byte limit`, {
      hint: 'a flag file is a few hundred bytes; is this the right file?',
    });
  }
  const bytes = read.bytes;
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
  doc.locate = parsed.locate ?? createLocator(parsed.text);
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

/**
 * One open and one read for a usual file; a file over the limit is refused without reading it all. Opened
 * non-blocking, so a FIFO or device in the flag folder is refused instead of hanging the run.
 */
function readBounded(abs: string, maxBytes: number, first: Buffer, noFollow: boolean): { bytes: Buffer } | { size: number } | { error: string } | { link: true } {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return noFollow ? { link: true } : { error: 'cannot read the file (ELOOP)' };
    return { error: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})` };
  }
  try {
    const n = readSync(fd, first, 0, first.length, 0);
    // a short read of a regular file is its end: a view of the shared buffer, decoded before the next read
    if (n > 0 && n < first.length) return { bytes: first.subarray(0, n) };
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > maxBytes) return { size: stat.size };
    const buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const m = readSync(fd, buffer, read, stat.size - read, read);
      if (m === 0) break;
      read += m;
    }
    return { bytes: read === stat.size ? buffer : buffer.subarray(0, read) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ESPIPE' || code === 'EAGAIN') return { error: 'not a regular file' };
    return { error: `cannot read the file (${code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}
