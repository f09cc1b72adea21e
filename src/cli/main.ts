/**
 * The CLI: argument parsing, one top-level catch, exit codes (DESIGN §3). Commands live in ./commands and are
 * loaded on demand, so `flagops validate` never loads the GitLab client.
 */
import { Command, CommanderError, Option } from 'commander';
import { FlagopsError } from '../errors/errors.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Finding } from '../model/finding.js';
import { toJunit } from '../report/junit.js';
import { formatFindings } from '../report/text.js';
import { ConfigFindingsError } from './context.js';
import { processIo, useColor, type CliIo, type CommonOptions } from './io.js';
import { VERSION } from './version.js';

type Action = (io: CliIo) => Promise<number>;

export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let action: Action | undefined;
  let common: CommonOptions = { config: 'flagops.yml' };
  const program = buildProgram(
    io,
    (a, options) => {
      action = a;
      common = options;
    },
    commandOf(argv),
  );
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    return reportError(error, common, io);
  }
  if (!action) return 0;
  try {
    return await action(io);
  } catch (error) {
    return reportError(error, common, io);
  }
}

function reportError(error: unknown, options: CommonOptions, io: CliIo): number {
  const color = useColor(options, io);
  if (error instanceof ConfigFindingsError) {
    writeFailureReports(error.findings, options, io);
    if (options.format !== 'json' || options.output) io.stderr(`${formatFindings(error.findings, { color })}\n`);
    io.stderr(`flagops: ${error.message}\n`);
    return 2;
  }
  if (error instanceof FlagopsError) {
    writeFailureReports([{ code: `error/${error.kind}`, severity: 'error', message: error.message, ...(error.hint ? { hint: error.hint } : {}) }], options, io);
    io.stderr(`flagops: ${error.kind === 'usage' ? 'usage' : 'error'}: ${error.message}\n`);
    if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  // a failure nobody foresaw still leaves the report the job's artifacts expect (exit 1: not a usage or remote error)
  writeFailureReports([{ code: 'error/internal', severity: 'error', message: `internal error: ${message}` }], options, io);
  io.stderr(`flagops: internal error: ${message}\n  please report it; set FLAGOPS_DEBUG=1 for details\n`);
  if (io.env.FLAGOPS_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}

/** The JSON (and JUnit) reports asked for are written also when a command fails (DESIGN §3). */
function writeFailureReports(findings: Finding[], options: CommonOptions, io: CliIo): void {
  const json = `${JSON.stringify({ ok: false, findings }, null, 2)}\n`;
  const junit = toJunit('flagops', [{ name: 'flagops', classname: 'flagops', findings }]);
  const targets: { format: string; path?: string }[] = [];
  if (options.format === 'json' && !options.output) io.stdout(json);
  if (options.output && options.format) targets.push({ format: options.format, path: options.output });
  for (const spec of options.report ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(spec);
    if (m) targets.push({ format: m[1]!, path: m[2]! });
  }
  for (const t of targets) {
    const body = t.format === 'json' ? json : t.format === 'junit' ? junit : undefined;
    if (!body || !t.path) continue;
    try {
      const abs = resolve(io.cwd, t.path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, body);
    } catch {
      // the failure itself is reported on stderr; a report that cannot be written is not a second failure
    }
  }
}

function commonOptions(command: Command, formats: readonly string[]): Command {
  return command
    .option('-c, --config <file>', 'the repository config', 'flagops.yml')
    .addOption(new Option('-f, --format <format>', 'report format').choices([...formats]).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (text still goes to stdout)')
    .option('--report <format=file>', 'also write a report in FORMAT to FILE (repeatable)', collect, [])
    .option('-q, --quiet', 'print errors only')
    .option('--no-color', 'no colours (also: NO_COLOR)');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The subcommands, in the order `flagops --help` lists them. */
export const COMMANDS = ['validate', 'check', 'plan', 'status', 'apply', 'verify', 'hygiene', 'history', 'report', 'import', 'pipeline', 'set', 'delete'] as const;

/** The subcommand the arguments start with, or undefined (no command, an option first, or a name that is none). */
function commandOf(argv: readonly string[]): string | undefined {
  const first = argv[0];
  return first !== undefined && (COMMANDS as readonly string[]).includes(first) ? first : undefined;
}

/**
 * The program. `only`: the subcommand being run, the one added besides the root (a run defines the options of one
 * command, not of thirteen); without it every subcommand is, for the root's help and its suggestions.
 */
export function buildProgram(io: CliIo, onAction: (action: Action, options: CommonOptions) => void, only?: string): Command {
  const wanted = (name: (typeof COMMANDS)[number]): boolean => only === undefined || only === name;
  // settings made before the subcommands are added are inherited by them
  const program = new Command('flagops')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(`flagops: ${text}`) })
    .description('GitOps for GitLab feature flags: validate, check gates, plan and apply per environment')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run flagops --help for usage)');

  if (wanted('validate')) {
    commonOptions(program.command('validate').argument('[files...]', 'flag files (default: all)'), ['text', 'json', 'codequality', 'junit'])
      .description('validate flag files and flagops.yml, offline')
      .action((files: string[], options: CommonOptions) =>
        onAction(async (io) => (await import('./commands/validate.js')).runValidate(files, options, io), options),
      );
  }
  if (wanted('check')) {
    commonOptions(program.command('check'), ['text', 'json', 'markdown', 'junit'])
      .description('check the gates of what changed since the base revision (merge requests)')
      .option('-e, --env <name>', 'only this environment (repeatable)', collect, undefined)
      .option('--base <rev>', 'the base revision (default: CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_COMMIT_BEFORE_SHA)')
      .option('--note', 'post or update the merge-request note')
      .option('--project <id>', 'the flag repository (default: CI_PROJECT_ID)')
      .option('--mr <iid>', 'the merge request (default: CI_MERGE_REQUEST_IID)')
      .action((options) => onAction(async (io) => (await import('./commands/check.js')).runCheckCommand(options, io), options));
  }
  const applyLike = (name: 'plan' | 'apply' | 'status', description: string): Command =>
    commonOptions(program.command(name), ['text', 'json', 'markdown'])
      .description(description)
      .option('-e, --env <name>', 'only this environment (repeatable)', collect, undefined)
      .addOption(new Option('--environment <name>', 'the same as --env').hideHelp().argParser(collect))
      .option('--instance <name>', "only this instance of the --env ring (repeatable; a plain environment's one instance is named after it)", collect, undefined)
      .option('--base <rev>', 'the base revision (default: last applied, CI_COMMIT_BEFORE_SHA)')
      .option('--project <id>', 'the flag repository (default: CI_PROJECT_ID)')
      .addOption(new Option('--force').hideHelp()) // gone: refused with a message saying where force lives now
      .action((options) => onAction(async (io) => (await import('./commands/apply.js')).runApplyCommand(name, options, io), options));
  if (wanted('plan')) {
    applyLike('plan', 'show what apply would change in each environment (live vs files)');
  }
  if (wanted('status')) {
    applyLike('status', 'every managed flag per environment: in sync, drift or pending');
  }
  if (wanted('apply')) {
    applyLike('apply', 'converge each environment to the files')
      .option('--plan <file>', 'apply this saved plan (refused if live state changed since)')
      .option('--dry-run', 'plan and check gates, change nothing')
      .option('--allow-pending', 'exit 0 when changes are held by gates')
      .option('--concurrency <n>', 'flags applied at once (default 8)');
  }
  if (wanted('verify')) {
    commonOptions(program.command('verify'), ['text', 'json'])
      .description('after an apply: run the environment\'s verification pipeline; roll back and open a revert MR when it fails')
      .option('-e, --env <name>', 'the environment just applied', collect, undefined)
      .option('--apply-report <file>', "apply's JSON report of that run (default: flagops-apply-<env>.json)")
      .option('--project <id>', 'the flag repository (default: CI_PROJECT_ID)')
      .action((options) => onAction(async (io) => (await import('./commands/verify.js')).runVerifyCommand(options, io), options));
  }
  if (wanted('hygiene')) {
    commonOptions(program.command('hygiene'), ['text', 'json', 'markdown'])
      .description('stale flags: past their lifespan, fully on or off everywhere for days, no rollout issue')
      .option('--fail-on <reasons>', 'exit 1 on these reasons (lifespan, fully-on, off, no-rollout-issue, any; repeatable)', collect, undefined)
      .option('--project <id>', 'the flag repository, for its deployment records (default: CI_PROJECT_ID)')
      .option('--open-issues', 'open or update one "[Feature flag] Cleanup NAME" issue per flag that is due (token scope api)')
      .option('--dry-run', 'with --open-issues: say what would be opened or edited, write nothing')
      .action((options) => onAction(async (io) => (await import('./commands/hygiene.js')).runHygieneCommand(options, io), options));
  }
  if (wanted('history')) {
    commonOptions(program.command('history').argument('[flag]', 'the flag (default: every flag with a file)'), ['text', 'json', 'markdown'])
      .description('when each state of a flag was applied per environment, by which commit and merge request, by whom')
      .option('-e, --environment <name>', 'only this environment (repeatable or comma-separated)', collect, undefined)
      .addOption(new Option('--env <name>').argParser(collect).hideHelp()) // the other commands' spelling
      .option('--project <id>', 'the flag repository, for its deployment records (default: CI_PROJECT_ID)')
      .option('--live', "also read each environment's backend now (needs the environment tokens)")
      .addHelpText(
        'after',
        '\nThe records are what apply writes: the flag repository\'s deployments of each environment (with a gitlab\n' +
          'section; token read_api), else the file backend\'s applied times. A record of a commit missing from this\n' +
          'clone is shown as unverified (fetch full history). Exit 0, or 2 on a bad flag name or configuration.\n',
      )
      .action((flag: string | undefined, options) =>
        onAction(async (io) => (await import('./commands/history.js')).runHistoryCommand(flag, options, io), options),
      );
  }
  if (wanted('report')) {
    commonOptions(program.command('report'), ['text', 'json'])
      .description('every flag in every environment: a static HTML dashboard (--html DIR) or its data (--format json)')
      .option('--html <dir>', 'write the dashboard to DIR/index.html')
      .option('--live', 'read every backend now (needs the environment tokens); else file backends and published snapshots')
      .option('--days <n>', 'how far back the timelines go (default 90)')
      .option('--project <id>', 'the flag repository, for its deployment records (default: CI_PROJECT_ID)')
      .action((options) => onAction(async (io) => (await import('./commands/report.js')).runReportCommand(options, io), options));
  }
  if (wanted('import')) {
    commonOptions(program.command('import'), ['text', 'json'])
      .description('write flag files from the live state of one environment (adoption)')
      .option('-e, --env <name>', 'the environment to read', collect, undefined)
      .option('--instance <name>', 'of a ring: the instance to read', collect, undefined)
      .option('--flag <name>', 'only this flag (repeatable)', collect, undefined)
      .option('--dry-run', 'show what would be written')
      .addOption(new Option('--force').hideHelp())
      .action((options) => onAction(async (io) => (await import('./commands/import.js')).runImportCommand(options, io), options));
  }

  if (wanted('pipeline')) {
    program
      .command('pipeline')
      .description('write the child pipeline that applies every environment of flagops.yml (GitLab CI)')
      .option('-c, --config <file>', 'the repository config', 'flagops.yml')
      .addOption(new Option('-f, --format <format>', 'stdout: the YAML, or a JSON summary').choices(['yaml', 'json']).default('yaml'))
      .option('-o, --output <file>', 'write the pipeline YAML to FILE')
      .option('-q, --quiet', 'print errors only')
      .option('--no-color', 'no colours (also: NO_COLOR)')
      .option('--base <rev>', 'compare the flag files with REV to choose the lane (default: CI_COMMIT_BEFORE_SHA)')
      .option('--command <cmd>', 'how the apply jobs run flagops (default: npx --yes flagops@VERSION)')
      .option('--image <image>', 'container image of the apply jobs (default: node:22)')
      .option('--stage <stage>', 'stage of the apply jobs (default: deploy)')
      .option('--job-prefix <prefix>', 'job names <prefix>-apply-<environment> (default: flagops)')
      .option('--resource-group-prefix <prefix>', 'resource groups <prefix><environment> (default: flagops-)')
      .option('--environment-action <action>', 'prepare (default) or start')
      .option('--manual <tier>', 'rollouts to environments of this deployment tier wait for a person (repeatable)', collect, undefined)
      .option('--tier <env=tier>', "an environment's deployment tier (default: guessed from its name, as GitLab does)", collect, undefined)
      .option('--apply-options <options>', 'more options for each `flagops apply`')
      .option('--git-depth <n>', 'GIT_DEPTH of the apply jobs (default: 0)')
      .option('--fast-lane <bool>', 'true: in the rollback lane, this job applies every environment and instance itself (default: false)')
      .action((options) => onAction(async (io) => (await import('./commands/pipeline.js')).runPipelineCommand(options, io), options));
  }

  if (wanted('set')) {
    commonOptions(program.command('set').argument('<name>', 'the flag').argument('<value>', 'true, false, or a percentage'), ['text', 'json'])
      .description('edit a flag file the way ChatOps `feature set` edits live state')
      .option('-e, --env <name>', 'only this environment (repeatable or comma-separated; default: all)', collect, undefined)
      .option('--actors', 'the percentage is of actors')
      .option('--random', 'the percentage is of time')
      .option('--user <names>', 'add (true) or remove (false) users', collect, undefined)
      .option('--project <paths>', 'add or remove projects', collect, undefined)
      .option('--group <paths>', 'add or remove groups', collect, undefined)
      .option('--namespace <paths>', 'add or remove namespaces', collect, undefined)
      .option('--repository <paths>', 'add or remove repositories', collect, undefined)
      .option('--feature-group <names>', 'add or remove feature groups', collect, undefined)
      .option('--dry-run', 'show the change without writing')
      .action((name: string, value: string, options) =>
        onAction(async (io) => (await import('./commands/set.js')).runSet(name, value, options, io), options),
      );
  }

  if (wanted('delete')) {
    commonOptions(program.command('delete').argument('<name>', 'the flag'), ['text', 'json'])
      .description('remove the state of those environments from the flag file (ChatOps `feature delete`)')
      .option('-e, --env <name>', 'only this environment (repeatable or comma-separated; default: all)', collect, undefined)
      .option('--dry-run', 'show the change without writing')
      .action((name: string, options) => onAction(async (io) => (await import('./commands/delete.js')).runDelete(name, options, io), options));
  }
  return program;
}
