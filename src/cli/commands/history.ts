/**
 * `flagops history [FLAG]`: per environment (per ring instance), when flagops applied each state of the flag, from
 * which commit and merge request, and by whom — ChatOps' `feature get` plus the feature-flag log.
 */
import { selectEnvironments } from '../../config/select-environments.js';
import { UsageError } from '../../errors/errors.js';
import { createGit } from '../../git/git.js';
import { createLiveReader } from '../../history/read-live.js';
import { renderHistoryJson, renderHistoryMarkdown, renderHistoryText } from '../../history/render.js';
import { runHistory } from '../../history/run-history.js';
import { NAME_PATTERN } from '../../rules/definition.js';
import { requireConfig } from '../context.js';
import { clientLimits, gitlabTarget } from '../gitlab.js';
import type { CliIo, CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const HISTORY_FORMATS = ['text', 'json', 'markdown'] as const;

export interface HistoryCliOptions extends CommonOptions {
  environment?: string[];
  /** `--env`, as the other commands spell it. */
  env?: string[];
  project?: string;
  live?: boolean;
}

export async function runHistoryCommand(flag: string | undefined, options: HistoryCliOptions, io: CliIo): Promise<number> {
  // the name reaches git paths and reports: checked before anything is read or asked
  if (flag !== undefined && !NAME_PATTERN.test(flag)) {
    throw new UsageError(`'${flag.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' is not a flag name`, 'flag names are lower-case letters, digits and single underscores (^[a-z0-9]+(_[a-z0-9]+)*$)');
  }
  const targets = reportTargets(options, HISTORY_FORMATS);
  const config = requireConfig(options, io);
  const environments = selectEnvironments(config, {
    names: [...(options.environment ?? []), ...(options.env ?? [])],
    commaSeparated: true,
    unknown: (unknown, configured) => new UsageError(`--environment ${unknown.join(', ')}: no such environment`, `configured: ${configured.join(', ')}`),
  });
  const target = gitlabTarget(config, io.env, { ...(options.project ? { project: options.project } : {}), needToken: Boolean(config.gitlab), scope: 'read_api' });
  if (config.gitlab && target.project === undefined) {
    throw new UsageError('history reads the flag repository’s deployment records, and flagops does not know the flag repository', 'run in CI (CI_PROJECT_ID), pass --project, or set gitlab.project in flagops.yml');
  }
  const result = await runHistory({
    config,
    git: createGit({ cwd: config.dir }),
    environments,
    ...(flag !== undefined ? { flag } : {}),
    ...(target.port && target.project !== undefined ? { records: { port: target.port, project: target.project } } : {}),
    ...(options.live ? { live: createLiveReader(io.env, clientLimits(io.env)) } : {}),
  });
  const renderers = {
    text: () => renderHistoryText(result, { ...(options.quiet ? { quiet: true } : {}) }),
    json: () => renderHistoryJson(result),
    markdown: () => renderHistoryMarkdown(result),
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return 0;
}
