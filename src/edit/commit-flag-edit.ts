/**
 * One edit of one flag file as a transaction: refuse a file that does not parse (with the loader's finding), make
 * the edit in memory, validate the result with the normal rules, and write it (atomically) only when the edit adds
 * no error. An edit that would make the file invalid is never written, so no invalid file is left behind; errors
 * the file already had do not block an edit (it may be the fix), but are reported.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, relative, sep } from 'node:path';
import type { FlagopsConfig } from '../config/types.js';
import { discoverFlagFiles, readFlagDocument, type FlagDocument } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';
import { asState } from './chatops-set.js';
import { checkDocuments } from '../rules/run-rules.js';
import { createLocator, DEFAULT_MAX_BYTES, parseYamlBytes } from '../yaml/bounded-parse.js';
import { editFlagText, writeFileAtomic, type EnvEdits } from './edit-flag-file.js';
import type { MaybeState } from '../model/state.js';

export interface FlagFileForEdit {
  abs: string;
  /** Relative to the config's folder, forward slashes. */
  file: string;
  /** The file's text as read (BOM and line endings included). */
  text: string;
  data: Record<string, unknown>;
  /** Whether the file has an `environments` key (is managed). */
  managed: boolean;
  defaultEnabled: boolean;
}

export type LoadForEditResult = { ok: true; flag: FlagFileForEdit } | { ok: false; file: string; findings: Finding[] };

export function loadFlagForEdit(abs: string, config: FlagopsConfig): LoadForEditResult {
  const doc = readFlagDocument(abs, config.dir, DEFAULT_MAX_BYTES);
  if (!doc.data) return { ok: false, file: doc.file, findings: doc.findings };
  const text = readFileSync(abs, 'utf8');
  const data = doc.data;
  return {
    ok: true,
    flag: { abs, file: doc.file, text, data, managed: Object.hasOwn(data, 'environments'), defaultEnabled: data.default_enabled === true },
  };
}

/** The desired state of one environment in a loaded file; null when it is there but not a well-formed state. */
export function currentState(flag: FlagFileForEdit, env: string): MaybeState | null {
  const envs = flag.data.environments;
  if (typeof envs !== 'object' || envs === null || Array.isArray(envs)) return undefined;
  return asState((envs as Record<string, unknown>)[env]);
}

export type CommitStatus = 'unchanged' | 'written' | 'rejected' | 'refused';

export interface CommitResult {
  status: CommitStatus;
  /** Findings of the edited content (all of them), or why the edit was refused. */
  findings: Finding[];
  /** The new text (also for `rejected`, to show what it would have been). */
  text?: string;
}

export interface CommitOptions {
  config: FlagopsConfig;
  flag: FlagFileForEdit;
  edits: EnvEdits;
  /** Validate but do not write. */
  dryRun?: boolean;
  /** See EditFlagTextOptions.ensureManaged. */
  ensureManaged?: boolean;
  /** Write even when the edit adds errors (import: the file must show the live state); findings are returned. */
  allowNewErrors?: boolean;
}

export function commitFlagEdit(options: CommitOptions): CommitResult {
  const { config, flag } = options;
  const edited = editFlagText(flag.text, options.edits, { envOrder: config.environments.map((e) => e.name), ensureManaged: options.ensureManaged ?? false });
  if (!edited.ok) {
    const { line, column } = edited;
    return {
      status: 'refused',
      findings: [
        {
          code: 'edit/unsupported',
          severity: 'error',
          file: flag.file,
          ...(line !== undefined ? { line, column } : {}),
          message: edited.message,
          hint: 'edit environments by hand in this file',
        },
      ],
    };
  }
  if (!edited.changed) return { status: 'unchanged', findings: [] };
  const before = checkDocuments([documentFromText(flag.text, flag.abs, config.dir)], config).findings;
  const after = checkDocuments([documentFromText(edited.text, flag.abs, config.dir)], config).findings;
  const known = new Set(before.filter((f) => f.severity === 'error').map(findingKey));
  const added = after.filter((f) => f.severity === 'error' && !known.has(findingKey(f)));
  if (added.length > 0 && !options.allowNewErrors) return { status: 'rejected', findings: after, text: edited.text };
  if (!options.dryRun) writeFileAtomic(flag.abs, edited.text);
  return { status: 'written', findings: after, text: edited.text };
}

function findingKey(f: Finding): string {
  return `${f.code}|${f.env ?? ''}|${f.message}`;
}

/** A flag document read from text in memory, as the loader would read it from `abs`. */
export function documentFromText(text: string, abs: string, dir: string): FlagDocument {
  const file = relative(dir, abs).split(sep).join('/');
  const doc: FlagDocument = { file, abs, stem: basename(abs, extname(abs)), locate: () => ({}), findings: [] };
  const parsed = parseYamlBytes(Buffer.from(text, 'utf8'));
  if (!parsed.ok) {
    doc.findings.push({ code: `yaml/${parsed.problem}`, severity: 'error', file, line: parsed.line, column: parsed.column, message: parsed.message });
    return doc;
  }
  doc.text = parsed.text;
  doc.locate = createLocator(parsed.text);
  const value = parsed.value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) doc.data = value as Record<string, unknown>;
  else doc.findings.push({ code: 'yaml/not-a-mapping', severity: 'error', file, line: 1, column: 1, message: 'the top level must be a mapping' });
  return doc;
}

export type FindFlagResult = { found: true; abs: string } | { found: false; suggestions: string[] } | { found: 'many'; files: string[] };

/** The flag file named `<name>.yml` (or `.yaml`) anywhere below the flag folders, flat or gitlab layout. */
export function findFlagFile(config: FlagopsConfig, name: string): FindFlagResult {
  const files = discoverFlagFiles(config.flagDirs);
  const stem = (f: string): string => basename(f, extname(f));
  const hits = files.filter((f) => stem(f) === name);
  if (hits.length === 1) return { found: true, abs: hits[0]! };
  if (hits.length > 1) return { found: 'many', files: hits.map((f) => relative(config.dir, f).split(sep).join('/')) };
  const scored = files
    .map((f) => ({ name: stem(f), d: distance(stem(f), name) }))
    .filter((s) => s.d <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return { found: false, suggestions: [...new Set(scored.map((s) => s.name))].slice(0, 3) };
}

/** Levenshtein distance (small strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
