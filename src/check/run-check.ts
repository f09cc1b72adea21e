/**
 * `flagops check`: the gates for what changed since the base revision (DESIGN §3–4), as data.
 * No live state and no environment token: only the `gitlab` section's token (read_api).
 */
import { selectEnvironments, unknownEnvOption } from '../config/select-environments.js';
import type { FlagopsConfig } from '../config/types.js';
import { ConfigError } from '../errors/errors.js';
import { createMemo } from '../gates/common.js';
import { runGates } from '../gates/run-gates.js';
import { createSoakSource } from '../gates/soak-source.js';
import type { GateSummary, MrRef } from '../gates/types.js';
import { createGit } from '../git/git.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import { sortFindings, type Finding } from '../model/finding.js';
import { resolveBase, type ResolvedBase } from '../plan/base.js';
import { computeChanges, readBaseState } from '../plan/changes.js';
import { desiredFromDocuments } from '../plan/desired.js';
import { validateFlags } from '../rules/run-rules.js';
import { fetchSnapshot, liveView, type LiveView } from './live-plan.js';

export interface CheckOptions {
  config: FlagopsConfig;
  envs?: string[];
  base?: string;
  env: Record<string, string | undefined>;
  now: Date;
  /** The GitLab of the `gitlab` section, when configured (the CLI builds it from the token variable). */
  port?: GitlabPort;
  project?: ProjectRef;
  mr?: MrRef;
  /** Where the apply/status jobs publish live snapshots: the flag repository's branch (the default branch) and job prefix. */
  snapshots?: { ref: string; jobPrefix: string };
}

export interface CheckResult {
  base: ResolvedBase;
  findings: Finding[];
  environments: { name: string; summaries: GateSummary[]; live?: LiveView }[];
  ok: boolean;
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const { config } = options;
  const envs = selectEnvironments(config, { names: options.envs, unknown: unknownEnvOption });
  const validation = validateFlags({ config });
  const findings: Finding[] = [...validation.findings];
  // a flag refused only for what an environment can take still shows its change (and the finding) in the note
  const current = desiredFromDocuments(validation.describable);
  const git = createGit({ cwd: config.dir });
  const base = resolveBase({ option: options.base, env: options.env });
  const baseState = await readBaseState({ config, git, base: base.rev, current });
  const changes = computeChanges({ config, current, base: baseState, envs: envs.map((e) => e.name) });
  if (!options.port && envs.some((e) => e.deployment || e.changeManagement || e.freeze || e.productionCheck)) {
    throw new ConfigError('a GitLab gate is configured but flagops has no GitLab to ask', {
      hint: 'set gitlab.url (or CI_SERVER_URL) in flagops.yml',
    });
  }
  if (!config.gitlab) {
    findings.push({ code: 'gitlab/absent', severity: 'info', message: 'no gitlab section: the GitLab gates, the merge-request note and announcements are skipped' });
  }
  const applied = createSoakSource({
    config,
    files: changes.filter((c) => c.kind === 'rollout').map((c) => c.file),
    envs,
    git,
    now: options.now,
    ...(options.port && options.project !== undefined ? { records: { port: options.port, project: options.project } } : {}),
  });
  const memo = createMemo();
  const environments: CheckResult['environments'] = [];
  for (const env of envs) {
    const result = await runGates({
      changes,
      ctx: {
        now: options.now,
        env,
        environments: config.environments,
        ...(options.port ? { port: options.port } : {}),
        ...(options.project !== undefined ? { flagProject: options.project } : {}),
        ...(options.mr ? { mr: options.mr } : {}),
        ...(applied ? { applied } : {}),
        memo,
      },
    });
    const live = await liveFor(options, { env, current, base: baseState, summaries: result.summaries, gateFindings: result.findings });
    // DESIGN §4: a flag whose live state already is the new one has nothing to apply, so no gate holds it
    const noChange = new Set(live?.source === 'snapshot' ? live.noChange : []);
    findings.push(...result.findings.map((f) => (f.flag && noChange.has(f.flag) && f.severity === 'error' ? { ...f, severity: 'info' as const, message: `no change live: ${f.message}` } : f)));
    environments.push({ name: env.name, summaries: result.summaries, ...(live ? { live } : {}) });
  }
  const sorted = sortFindings(findings);
  return { base, findings: sorted, environments, ok: !sorted.some((f) => f.severity === 'error') };
}


async function liveFor(
  options: CheckOptions,
  args: { env: FlagopsConfig['environments'][number]; current: ReturnType<typeof desiredFromDocuments>; base: Awaited<ReturnType<typeof readBaseState>>; summaries: GateSummary[]; gateFindings: Finding[] },
): Promise<LiveView | undefined> {
  if (!options.snapshots || !options.port || options.project === undefined) return undefined;
  // a ring's instances each publish their own snapshot (`.flagops/live/<ring>/<instance>.json`); the note does not
  // read them yet, so it says so rather than look for a snapshot of the ring as a whole
  if (args.env.ring) return { source: 'none', reason: `${args.env.name} is a ring of ${args.env.instances.length} instances: the live plan is per instance (flagops plan --env ${args.env.name}), not in this note yet` };
  const snapshot = await fetchSnapshot({ port: options.port, project: options.project, ref: options.snapshots.ref, env: args.env.name, jobPrefix: options.snapshots.jobPrefix });
  if ('problem' in snapshot) return { source: 'none', reason: snapshot.problem };
  return liveView({
    env: args.env,
    snapshot,
    now: options.now,
    current: args.current,
    base: args.base,
    changed: args.summaries.map((s) => s.flag),
    gateFindings: args.gateFindings,
    prune: options.config.prune,
    maxDeletes: options.config.maxDeletes,
  });
}
