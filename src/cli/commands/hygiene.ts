/** `flagops hygiene [--fail-on REASON]...`: stale flags, each with the reason and the next step. */
import { createGit } from '../../git/git.js';
import { UsageError } from '../../errors/errors.js';
import { HYGIENE_REASONS } from '../../hygiene/judge.js';
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
  const config = requireConfig(options, io);
  const target = gitlabTarget(config, io.env, { ...(options.project ? { project: options.project } : {}), needToken: Boolean(config.gitlab), scope: 'read_api' });
  const result = await runHygiene({
    config,
    git: createGit({ cwd: config.dir }),
    now: io.now(),
    ...(target.port && target.project !== undefined ? { records: { port: target.port, project: target.project } } : {}),
  });
  const failed = result.findings.some((f) => f.severity !== 'info' && failOn.has(f.code.replace(/^hygiene\//, '')));
  const shown = options.quiet ? result.findings.filter((f) => f.severity !== 'info') : result.findings;
  const due = result.findings.filter((f) => f.severity !== 'info').length;
  const renderers = {
    text: () => {
      const body = formatFindings(shown, { color: useColor(options, io) });
      return `${body}${body ? '\n' : ''}${options.quiet ? '' : `${due} hygiene finding${due === 1 ? '' : 's'} in ${result.flags.length} flag${result.flags.length === 1 ? '' : 's'}\n`}`;
    },
    json: () =>
      `${JSON.stringify(
        {
          command: 'hygiene',
          ok: !failed,
          flags: result.flags.length,
          settings: { lifespans: result.settings.lifespans, fully_on_days: result.settings.fullyOnDays, off_days: result.settings.offDays },
          findings: result.findings,
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
