/**
 * The file-writing half of `flagops import --env NAME [--flag NAME]...` (adoption): makes the flag files say what
 * one environment holds live. Reading the live state is the caller's job (a backend's `read()`).
 *
 * - A live flag with a file: `environments.<env>` is set to the live state; every other key, comment and
 *   environment is kept (yaml-splice). Equal states (in normal form) leave the file untouched.
 * - A managed file (one with `environments`) whose flag is not persisted live: its `<env>` entry is removed, since
 *   "no entry" is how a managed file says "nothing persisted". Definition-only files are never touched for that.
 * - A live flag without a file: a new file with a minimal valid definition. Its type is the live definition's type
 *   when the caller passes it (GitLab's `GET /features` returns each flag's definition), otherwise `undefined` —
 *   GitLab's own type for "flags not defined in the codebase" — with a comment asking to complete the definition.
 *   Flat layout: `<flags>/<name>.yml`; gitlab layout: `<flags>/<type>/<name>.yml` (so `<flags>/undefined/…`).
 * - Live states are written as they are, even when a rule objects (e.g. percentage_of_time on a flag with an
 *   actor): the file must show reality; the findings are returned so the caller can show them.
 *
 * Import one environment at a time: a file created or made managed here has no state for the other environments,
 * and apply would delete theirs, so run import for each environment before applying (the summary says so).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Document } from 'yaml';
import type { FlagopsConfig } from '../config/types.js';
import { discoverFlagFiles } from '../flags/load-flags.js';
import type { FlagFile } from '../generated/flag-file.js';
import type { Finding } from '../model/finding.js';
import { normalizeState, statesEqual, type FlagState, type MaybeState } from '../model/state.js';
import { HISTORICAL_TYPES, NAME_PATTERN, TYPES } from '../rules/definition.js';
import { checkDocuments } from '../rules/run-rules.js';
import { canonical } from './chatops-set.js';
import { commitFlagEdit, currentState, documentFromText, loadFlagForEdit } from './commit-flag-edit.js';
import { editFlagText, writeFileAtomic } from './edit-flag-file.js';

/**
 * What a live backend knows of a flag's definition (GitLab's `definition` object of `GET /features`): the flag
 * file's definition keys, except that `type` is any string GitLab reports (an unknown one is written as `undefined`).
 */
export type ImportDefinition = Pick<
  FlagFile,
  | 'default_enabled'
  | 'description'
  | 'feature_issue_url'
  | 'introduced_by_url'
  | 'rollout_issue_url'
  | 'milestone'
  | 'group'
  | 'log_state_changes'
> & { type?: string };

export interface ImportOptions {
  config: FlagopsConfig;
  env: string;
  /** Every flag persisted in the environment, with its state. */
  live: ReadonlyMap<string, FlagState>;
  /** `--flag NAME...`: only these flags. Default: every live flag and every managed file. */
  flags?: readonly string[];
  definitions?: ReadonlyMap<string, ImportDefinition>;
  dryRun?: boolean;
}

export type ImportAction = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ImportEntry {
  flag: string;
  /** Relative to the config's folder. */
  file?: string;
  action: ImportAction;
  before?: MaybeState;
  after?: MaybeState;
  reason?: string;
  findings: Finding[];
}

export interface ImportSummary {
  env: string;
  entries: ImportEntry[];
  counts: Record<ImportAction, number>;
  notes: string[];
}

const DEFINITION_KEYS = ['description', 'feature_issue_url', 'introduced_by_url', 'rollout_issue_url', 'milestone', 'group'] as const;
const DEFAULT_ENABLED_TYPES = new Set(['beta', 'ops', ...HISTORICAL_TYPES]);

export function importEnvironment(options: ImportOptions): ImportSummary {
  const { config, env } = options;
  if (!config.environments.some((e) => e.name === env)) throw new Error(`internal: import of unknown environment '${env}'`);
  const byStem = new Map<string, string[]>();
  for (const abs of discoverFlagFiles(config.flagDirs)) {
    const stem = abs.slice(abs.lastIndexOf(sep) + 1).replace(/\.ya?ml$/, '');
    byStem.set(stem, [...(byStem.get(stem) ?? []), abs]);
  }
  const names = options.flags ? [...new Set(options.flags)] : [...new Set([...options.live.keys(), ...byStem.keys()])];
  const entries: ImportEntry[] = [];
  for (const flag of names.sort()) {
    const entry = importOne(options, flag, byStem.get(flag) ?? [], options.flags !== undefined);
    if (entry) entries.push(entry);
  }
  const counts: Record<ImportAction, number> = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const e of entries) counts[e.action]++;
  const notes: string[] = [];
  const adopted = entries.filter((e) => e.action === 'created' || (e.action === 'updated' && e.reason === 'now managed')).length;
  const others = config.environments.map((e) => e.name).filter((e) => e !== env);
  if (adopted > 0 && others.length > 0) {
    notes.push(
      `${adopted} file${adopted === 1 ? '' : 's'} now manage${adopted === 1 ? 's' : ''} ${adopted === 1 ? 'its flag' : 'their flags'} with only '${env}' set; ` +
        `import ${others.join(', ')} too before applying, or apply deletes their live state`,
    );
  }
  return { env, entries, counts, notes };
}

function importOne(options: ImportOptions, flag: string, files: string[], named: boolean): ImportEntry | undefined {
  const { config, env } = options;
  const live = options.live.get(flag);
  const after = live === undefined ? undefined : canonical(normalizeState(live));
  const rel = (abs: string): string => relative(config.dir, abs).split(sep).join('/');
  if (files.length > 1) {
    return { flag, action: 'skipped', reason: `several files define it: ${files.map(rel).join(', ')}`, findings: [] };
  }
  if (files.length === 0) {
    if (after === undefined) return named ? { flag, action: 'skipped', reason: `not persisted in ${env} and no flag file`, findings: [] } : undefined;
    if (!NAME_PATTERN.test(flag)) return { flag, action: 'skipped', reason: 'not a valid flag name: no file created', findings: [] };
    return createFile(options, flag, after);
  }
  const abs = files[0]!;
  const loaded = loadFlagForEdit(abs, config);
  if (!loaded.ok) return { flag, file: loaded.file, action: 'skipped', reason: 'the file does not parse', findings: loaded.findings };
  const file = loaded.flag;
  if (after === undefined && !file.managed) {
    return named ? { flag, file: file.file, action: 'unchanged', reason: `not persisted in ${env}; definition-only file left as is`, findings: [] } : undefined;
  }
  const before = currentState(file, env);
  if (before !== null && (before === undefined) === (after === undefined) && statesEqual(before, after)) {
    return { flag, file: file.file, action: 'unchanged', before, after, findings: [] };
  }
  const result = commitFlagEdit({ config, flag: file, edits: new Map([[env, after]]), dryRun: options.dryRun ?? false, allowNewErrors: true });
  const shown = before === null ? {} : { before };
  if (result.status === 'refused') return { flag, file: file.file, action: 'skipped', reason: 'the file cannot be edited safely', findings: result.findings, ...shown };
  const action: ImportAction = result.status === 'written' ? 'updated' : 'unchanged';
  return { flag, file: file.file, action, ...shown, after, ...(file.managed ? {} : { reason: 'now managed' }), findings: result.findings };
}

function createFile(options: ImportOptions, flag: string, state: FlagState): ImportEntry {
  const { config, env } = options;
  const def = options.definitions?.get(flag);
  const known = [...TYPES, ...HISTORICAL_TYPES] as readonly string[];
  const type = def?.type && known.includes(def.type) ? def.type : 'undefined';
  const data: Record<string, unknown> = { name: flag };
  for (const key of DEFINITION_KEYS) {
    const v = def?.[key];
    if (typeof v === 'string' && v !== '') data[key] = v;
  }
  data.type = type;
  data.default_enabled = def?.default_enabled === true && DEFAULT_ENABLED_TYPES.has(type);
  if (typeof def?.log_state_changes === 'boolean') data.log_state_changes = def.log_state_changes;
  const comment = def
    ? ''
    : `# Adopted by flagops import from the live state of '${env}'.\n# Complete the definition: type, description, group, milestone and the issue and merge request URLs.\n`;
  const base = `---\n${comment}${new Document(data).toString({ lineWidth: 0, singleQuote: true })}`;
  const edited = editFlagText(base, new Map([[env, state]]), { envOrder: config.environments.map((e) => e.name) });
  if (!edited.ok) throw new Error(`internal: cannot render a new flag file: ${edited.message}`);
  const abs = config.layout === 'gitlab' ? join(config.flagDirs[0]!, type, `${flag}.yml`) : join(config.flagDirs[0]!, `${flag}.yml`);
  const findings = checkDocuments([documentFromText(edited.text, abs, config.dir)], config).findings;
  if (!options.dryRun) {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileAtomic(abs, edited.text, { exclusive: true });
  }
  return { flag, file: relative(config.dir, abs).split(sep).join('/'), action: 'created', after: state, findings };
}
