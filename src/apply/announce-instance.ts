/**
 * After one instance's apply: the feature-flag log (`log:`) and the announcements on the merge request, the rollout
 * issue and the change issue (DESIGN §5). An instance of a ring is logged and announced in its ring's one issue and
 * row, which list the ring's instances.
 */
import { resolve } from 'node:path';
import type { AppliedFlag } from '../announce/announce.js';
import type { InstanceTarget } from '../config/instances.js';
import type { FlagopsConfig } from '../config/types.js';
import type { Git } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import type { EnvPlan } from '../plan/build-plan.js';
import type { readBaseState } from '../plan/changes.js';
import type { desiredFromDocuments } from '../plan/desired.js';
import type { FlagResult } from './execute.js';
import type { GitlabTarget } from './gitlab-target.js';

export async function announceInstance(args: {
  env: InstanceTarget;
  envPlan: EnvPlan;
  results: FlagResult[];
  baseState: Awaited<ReturnType<typeof readBaseState>>;
  current: ReturnType<typeof desiredFromDocuments>;
  git: Git;
  config: FlagopsConfig;
  gitlab: GitlabTarget;
  vars: Record<string, string | undefined>;
  now: Date;
  /** Announce on the MR and issues (else only the feature-flag log, when configured). */
  notes: boolean;
  findings: Finding[];
}): Promise<Finding[]> {
  const applied: AppliedFlag[] = [];
  for (const r of args.results.filter((x) => x.outcome === 'applied')) {
    const f = args.envPlan.flags.find((x) => x.flag === r.flag)!;
    const doc = args.current.get(r.flag) ?? args.baseState.flags.get(r.flag);
    const history = f.file ? await args.git.fileHistory({ path: resolve(args.config.dir, f.file), ref: 'HEAD' }).catch(() => []) : [];
    applied.push({
      flag: r.flag,
      // an instance of a ring is announced and logged under its ring: one log issue and one note row per ring,
      // listing the instances applied so far
      env: args.env.name,
      ...(args.env.ring ? { ring: { instance: args.env.instance, instances: args.env.instances.map((i) => i.name) } } : {}),
      before: f.live,
      after: f.desired,
      ...(history[0] ? { commitSha: history[0].sha } : {}),
      ...(doc?.rolloutIssueUrl ? { rolloutIssueUrl: doc.rolloutIssueUrl } : {}),
    });
  }
  if (applied.length === 0) return [];
  const out: Finding[] = [];
  if (args.env.log) {
    const { logApplied } = await import('../log/log-applied.js');
    const typed = applied.map((a) => {
      const doc = args.current.get(a.flag) ?? args.baseState.flags.get(a.flag);
      return { ...a, ...(doc?.flagType ? { flagType: doc.flagType } : {}), ...(doc?.group ? { group: doc.group } : {}) };
    });
    out.push(...(await logApplied({ port: args.gitlab.port!, flagProject: args.gitlab.project!, logProject: args.env.log.project, applied: typed, findings: args.findings, vars: args.vars })));
  }
  if (!args.notes) return out;
  const { announce } = await import('../announce/announce.js');
  return [...out, ...(await announce({
    port: args.gitlab.port!,
    flagProject: args.gitlab.project!,
    applied,
    now: args.now,
    ...(args.vars.CI_PIPELINE_URL ? { pipelineUrl: args.vars.CI_PIPELINE_URL } : {}),
    changeProjects: { [args.env.name]: args.env.changeManagement?.project },
  }))];
}
