/** `flagops check [--env NAME]... [--base REV] [--note]`: gates for what changed since the base (DESIGN §3). */
import { upsertNote } from '../../announce/upsert-note.js';
import { runCheck } from '../../check/run-check.js';
import { loadTrustedPolicy } from '../../check/trusted-policy.js';
import { createGit } from '../../git/git.js';
import { UsageError } from '../../errors/errors.js';
import { renderCheckMarkdown } from '../../report/check-markdown.js';
import { toJunit } from '../../report/junit.js';
import { formatFindings } from '../../report/text.js';
import { requireConfig } from '../context.js';
import { GATE_CONFIGURED } from '../../gates/configured.js';
import { gitlabTarget } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export interface CheckCliOptions extends CommonOptions {
  env?: string[];
  base?: string;
  note?: boolean;
  project?: string;
  mr?: string;
}

export const CHECK_FORMATS = ['text', 'json', 'markdown', 'junit'] as const;

export async function runCheckCommand(options: CheckCliOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, CHECK_FORMATS);
  const headConfig = requireConfig(options, io);
  const trusted = await loadTrustedPolicy({ head: headConfig, git: createGit({ cwd: headConfig.dir }), env: io.env });
  const config = trusted.config;
  const needsGitlab = config.environments.some((e) => e.deployment || e.changeManagement || e.freeze || e.productionCheck || GATE_CONFIGURED.soak(e)) || Boolean(options.note);
  const target = gitlabTarget(config, io.env, { project: options.project, mr: options.mr, needToken: needsGitlab, scope: options.note ? 'api' : 'read_api' });
  if (options.note && (!target.port || !target.mr)) {
    throw new UsageError('--note needs a merge request: run in a merge-request pipeline (CI_MERGE_REQUEST_IID) or pass --mr and --project', 'and a gitlab section in flagops.yml');
  }
  const checked = await runCheck({
    config,
    ...(options.env ? { envs: options.env } : {}),
    ...(options.base ? { base: options.base } : {}),
    env: io.env,
    now: io.now(),
    ...target,
    ...(io.env.CI_DEFAULT_BRANCH && target.project !== undefined ? { snapshots: { ref: io.env.CI_DEFAULT_BRANCH, jobPrefix: io.env.FLAGOPS_JOB_PREFIX || 'flagops' } } : {}),
  });
  const result = { ...checked, findings: [...trusted.findings, ...checked.findings] };
  const footer = [`base ${result.base.rev ? `${result.base.rev.slice(0, 8)} (${result.base.source})` : 'none: every managed flag counts as new'}`, io.env.CI_PIPELINE_URL ? `[pipeline](${io.env.CI_PIPELINE_URL})` : '']
    .filter(Boolean)
    .join(' · ');
  const markdown = (): string => renderCheckMarkdown({ environments: result.environments, findings: result.findings, ok: result.ok, footer });
  const renderers = {
    text: () => renderText(result, options, io),
    json: () => `${JSON.stringify({ command: 'check', ok: result.ok, base: result.base, environments: result.environments, findings: result.findings }, null, 2)}\n`,
    markdown,
    junit: () =>
      toJunit(
        'flagops check',
        result.environments.flatMap((e) =>
          e.summaries.map((s) => ({ name: `${e.name}: ${s.flag}`, classname: `flagops.check.${e.name}`, findings: result.findings.filter((f) => f.env === e.name && f.flag === s.flag) })),
        ),
      ),
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  if (options.note && target.port && target.mr) {
    const { action } = await upsertNote({ port: target.port, target: { kind: 'merge_request', ...target.mr }, purpose: 'check', body: markdown() });
    if (!options.quiet) io.stderr(`merge request !${target.mr.iid}: note ${action}\n`);
  }
  return result.ok ? 0 : 1;
}

function renderText(result: Awaited<ReturnType<typeof runCheck>>, options: CheckCliOptions, io: CliIo): string {
  const color = useColor(options, io);
  const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const lines: string[] = [];
  if (!options.quiet) {
    for (const env of result.environments) {
      for (const s of env.summaries) {
        const gates = s.gates.map((g) => `${g.gate} ${g.status}`).join(', ');
        lines.push(`${env.name}: ${s.flag} (${s.kind})${gates ? `: ${gates}` : ''}`);
      }
    }
    if (lines.length === 0) lines.push('no flag state changes');
    for (const env of result.environments) {
      const live = env.live;
      if (!live) continue;
      if (live.source === 'none') {
        lines.push(`${env.name} (live): ${live.reason}`);
        continue;
      }
      const age = `snapshot ${Math.floor(live.ageMs / 60_000)} min old`;
      const ops = live.operations.map((o) => (o.action === 'delete' ? `- delete ${o.flag} (${o.why ?? 'delete'})` : `~ set ${o.flag}`));
      lines.push(`${env.name} (live, ${age}): ${ops.length > 0 ? ops.join(', ') : 'apply would change nothing'}${live.noChange.length > 0 ? `; no change live: ${live.noChange.join(', ')}` : ''}`);
    }
  }
  const body = formatFindings(shown, { color });
  return `${[...lines, ...(body ? [body] : [])].join('\n')}\n`;
}
