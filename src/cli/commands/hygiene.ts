/**
 * `flagops hygiene [--fail-on REASON]... [--open-issues [--dry-run]]`: stale flags, each with the reason and the next
 * step; with --open-issues, one cleanup issue per flag that is due (src/hygiene/cleanup-issues.ts).
 */
import { createGit } from '../../git/git.js';
import { UsageError } from '../../errors/errors.js';
import { cleanupTitle } from '../../hygiene/cleanup-body.js';
import { HYGIENE_REASONS } from '../../hygiene/judge.js';
import { openCleanupIssues, type CleanupIssue } from '../../hygiene/cleanup-issues.js';
import { runHygiene } from '../../hygiene/run-hygiene.js';
import { renderHygieneMarkdown } from '../../report/hygiene-markdown.js';
import { formatFindings } from '../../report/text.js';
import { requireConfig } from '../context.js';
import { gitlabTarget } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const HYGIENE_FORMATS = ['text', 'json', 'markdown'] as const;

export interface HygieneCliOptions extends CommonOptions {
  failOn?: string[];
  project?: string;
  openIssues?: boolean;
  dryRun?: boolean;
}

/** `--fail-on lifespan,off` or `--fail-on any`: the reasons that make the run exit 1. */
export function parseFailOn(values: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const v of (values ?? []).flatMap((x) => x.split(','))) {
    const r = v.trim();
    if (r === 'any') HYGIENE_REASONS.forEach((x) => out.add(x));
    else if ((HYGIENE_REASONS as readonly string[]).includes(r)) out.add(r);
    else throw new UsageError(`--fail-on ${r}: one of ${HYGIENE_REASONS.join(', ')}, any`);
  }
  return out;
}

export async function runHygieneCommand(options: HygieneCliOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, HYGIENE_FORMATS);
  const failOn = parseFailOn(options.failOn);
  if (options.dryRun && !options.openIssues) throw new UsageError('--dry-run goes with --open-issues');
  const config = requireConfig(options, io);
  if (options.openIssues && !config.gitlab) {
    throw new UsageError('--open-issues needs a gitlab section in flagops.yml: the GitLab that holds the rollout issues');
  }
  const scope = options.openIssues && !options.dryRun ? 'api' : 'read_api';
  const target = gitlabTarget(config, io.env, { ...(options.project ? { project: options.project } : {}), needToken: Boolean(config.gitlab), scope });
  const result = await runHygiene({
    config,
    git: createGit({ cwd: config.dir }),
    now: io.now(),
    ...(target.port && target.project !== undefined ? { records: { port: target.port, project: target.project } } : {}),
  });
  const cleanup = options.openIssues && target.port
    ? await openCleanupIssues({
        port: target.port,
        flags: result.flags,
        findings: result.findings,
        settings: result.settings,
        envs: config.environments.map((e) => e.name),
        dryRun: options.dryRun === true,
        ...(io.env.CI_PROJECT_URL ? { flagRepoUrl: io.env.CI_PROJECT_URL } : {}),
      })
    : undefined;
  if (cleanup) result.findings.push(...cleanup.findings);
  const failed =
    result.findings.some((f) => f.severity !== 'info' && failOn.has(f.code.replace(/^hygiene\//, ''))) ||
    result.findings.some((f) => f.severity === 'error');
  const shown = options.quiet ? result.findings.filter((f) => f.severity !== 'info') : result.findings;
  const due = result.findings.filter((f) => f.severity !== 'info').length;
  const renderers = {
    text: () => {
      const body = formatFindings(shown, { color: useColor(options, io) });
      const issues = cleanup ? cleanupLines(cleanup.issues, options.dryRun === true) : '';
      return `${body}${body ? '\n' : ''}${issues}${options.quiet ? '' : `${due} hygiene finding${due === 1 ? '' : 's'} in ${result.flags.length} flag${result.flags.length === 1 ? '' : 's'}\n`}`;
    },
    json: () =>
      `${JSON.stringify(
        {
          command: 'hygiene',
          ok: !failed,
          flags: result.flags.length,
          settings: { lifespans: result.settings.lifespans, fully_on_days: result.settings.fullyOnDays, off_days: result.settings.offDays },
          findings: result.findings,
          ...(cleanup ? { cleanup_issues: { dry_run: options.dryRun === true, issues: cleanup.issues } } : {}),
        },
        null,
        2,
      )}\n`,
    markdown: () => renderHygieneMarkdown({ findings: result.findings, flags: result.flags.length }),
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return failed ? 1 : 0;
}

/** One line per cleanup issue: `cleanup issue group/app#7 created: [Feature flag] Cleanup x (labels +a, linked)`. */
function cleanupLines(issues: readonly CleanupIssue[], dryRun: boolean): string {
  const lines = issues.map((i) => {
    const where = i.iid === undefined ? `in ${String(i.project)}` : `${String(i.project)}#${i.iid}`;
    const action = dryRun && i.action !== 'unchanged' && i.action !== 'closed' ? `would be ${i.action}` : i.action === 'closed' ? 'closed by someone, left alone' : i.action;
    const extra = [i.labels_added.length > 0 ? `labels +${i.labels_added.join(', +')}` : '', i.link === 'created' ? (dryRun ? 'would link the rollout issue' : 'linked to the rollout issue') : ''].filter(Boolean);
    return `cleanup issue ${where} ${action}: ${cleanupTitle(i.flag)}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}${i.web_url ? ` ${i.web_url}` : ''}\n`;
  });
  return lines.join('');
}
