/**
 * What `flagops set` and `flagops delete` share: find the flag's file, compute the new state of each selected
 * environment, commit the edit (validated before it is written), and report per environment what changed.
 */
import { relative, sep } from 'node:path';
import { FlagopsError, UsageError } from '../../errors/errors.js';
import { hasErrors, type Finding } from '../../model/finding.js';
import { describeState, statesEqual, type MaybeState } from '../../model/state.js';
import { NAME_PATTERN } from '../../rules/definition.js';
import { formatFindings } from '../../report/text.js';
import { selectEnvironments, unknownEnvironments } from '../../config/select-environments.js';
import type { FlagopsConfig } from '../../config/types.js';
import { commitFlagEdit, findFlagFile, loadFlagForEdit, type CommitStatus, type FlagFileForEdit } from '../../edit/commit-flag-edit.js';
import { requireConfig } from '../context.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const EDIT_FORMATS = ['text', 'json'] as const;

export interface EditCommandOptions extends CommonOptions {
  /** `--env`, repeatable or comma-separated; none means every environment. */
  env?: string | readonly string[];
  /** Show what would change without writing. */
  dryRun?: boolean;
}

export interface EnvChange {
  env: string;
  before: MaybeState;
  after: MaybeState;
  notes: string[];
  /** The file's entry was not a well-formed state: rewrite it even if `before` looks equal. */
  malformed?: boolean;
}

export interface FlagEditSpec {
  command: 'set' | 'delete';
  name: string;
  /** New state of each selected environment (envs in promotion order). Throw a UsageError to refuse. */
  compute: (flag: FlagFileForEdit, envs: readonly string[], config: FlagopsConfig) => EnvChange[];
  /** Make a definition-only file managed even when no environment gets a state. */
  ensureManaged?: (flag: FlagFileForEdit, envs: readonly string[], config: FlagopsConfig) => boolean;
  /** Extra notes once the file is written. */
  afterNotes?: (flag: FlagFileForEdit, envs: readonly string[], config: FlagopsConfig) => string[];
}

export async function runFlagEdit(spec: FlagEditSpec, options: EditCommandOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, EDIT_FORMATS);
  const config = requireConfig(options, io);
  if (!NAME_PATTERN.test(spec.name)) throw new UsageError(`'${spec.name}' is not a flag name (lower-case words joined by single underscores)`);
  const envs = selectEnvironments(config, { names: options.env, commaSeparated: true, unknown: unknownEnvironments }).map((e) => e.name);
  const found = findFlagFile(config, spec.name);
  if (found.found === 'many') {
    throw new FlagopsError('usage', `flag '${spec.name}' has several files: ${found.files.join(', ')}`, { hint: 'one flag name is defined by exactly one file; remove the others' });
  }
  if (found.found === false) {
    const dirs = config.flagDirs.map((d) => relativeToConfig(config, d)).join(', ');
    const where = config.layout === 'gitlab' ? `${dirs}/<type>/${spec.name}.yml` : `${dirs}/${spec.name}.yml`;
    const guess = found.suggestions.length > 0 ? `did you mean ${found.suggestions.join(', ')}? Otherwise c` : 'C';
    throw new FlagopsError('usage', `no flag file for '${spec.name}'`, {
      hint: `${guess}reate its definition first (${where} with name, type, milestone…), as GitLab requires for every flag; or adopt a live flag with flagops import --env ENV --flag ${spec.name}`,
    });
  }
  const loaded = loadFlagForEdit(found.abs, config);
  if (!loaded.ok) {
    return report(spec, options, io, targets, { file: loaded.file, status: 'refused', changes: [], findings: loaded.findings, notes: [`not edited: ${loaded.file} does not parse; fix it first`] });
  }
  const flag = loaded.flag;
  const changes = spec.compute(flag, envs, config);
  const edits = new Map<string, MaybeState>();
  for (const c of changes) if (c.malformed || !sameState(c.before, c.after)) edits.set(c.env, c.after);
  const ensureManaged = spec.ensureManaged?.(flag, envs, config) ?? false;
  const result =
    edits.size === 0 && !(ensureManaged && !flag.managed)
      ? { status: 'unchanged' as const, findings: [] }
      : commitFlagEdit({ config, flag, edits, dryRun: options.dryRun ?? false, ensureManaged });
  const notes: string[] = [];
  if (result.status === 'written' && spec.afterNotes) notes.push(...spec.afterNotes(flag, envs, config));
  if (result.status === 'rejected') notes.push(`not written: the edit would make ${flag.file} invalid; the file is unchanged`);
  if (result.status === 'refused') notes.push(`not edited: ${flag.file}`);
  return report(spec, options, io, targets, { file: flag.file, status: result.status, changes, findings: result.findings, notes, defaultEnabled: flag.defaultEnabled });
}

function sameState(a: MaybeState, b: MaybeState): boolean {
  return (a === undefined) === (b === undefined) && statesEqual(a, b);
}

function relativeToConfig(config: FlagopsConfig, abs: string): string {
  return relative(config.dir, abs).split(sep).join('/') || '.';
}

interface Outcome {
  file: string;
  status: CommitStatus;
  changes: EnvChange[];
  findings: Finding[];
  notes: string[];
  defaultEnabled?: boolean;
}

function report(spec: FlagEditSpec, options: EditCommandOptions, io: CliIo, targets: ReturnType<typeof reportTargets>, o: Outcome): number {
  const failed = o.status === 'rejected' || o.status === 'refused' || hasErrors(o.findings);
  const shown = options.quiet ? o.findings.filter((f) => f.severity === 'error') : o.findings;
  const renderers = {
    text: () => {
      const lines: string[] = [];
      if (!options.quiet) {
        for (const c of o.changes) {
          const before = describeState(c.before, o.defaultEnabled);
          const after = describeState(c.after, o.defaultEnabled);
          lines.push(sameState(c.before, c.after) ? `${c.env}: ${before} (unchanged)` : `${c.env}: ${before} → ${after}`);
          for (const note of c.notes) lines.push(`  note: ${note}`);
        }
        const verb = options.dryRun ? 'would update' : 'updated';
        if (o.status === 'written') lines.push(`${verb} ${o.file}`);
        if (o.status === 'unchanged') lines.push(`${o.file}: nothing to change`);
      }
      for (const note of o.notes) lines.push(note);
      const body = formatFindings(shown, { color: useColor(options, io) });
      return `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}${body}${body ? '\n' : ''}`;
    },
    json: () =>
      `${JSON.stringify(
        {
          command: spec.command,
          ok: !failed,
          flag: spec.name,
          file: o.file,
          status: o.status,
          dryRun: options.dryRun ?? false,
          changes: o.changes.map((c) => ({ env: c.env, before: c.before ?? null, after: c.after ?? null, changed: !sameState(c.before, c.after), notes: c.notes })),
          notes: o.notes,
          findings: o.findings,
        },
        null,
        2,
      )}\n`,
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return failed ? 1 : 0;
}
