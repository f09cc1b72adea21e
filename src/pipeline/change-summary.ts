/**
 * What a pipeline carries, for choosing its lane: per environment, the flag files at its base compared with HEAD's
 * working tree, by the planner's own change computation (src/plan/changes.ts) and exposure order
 * (src/model/state.ts `classifyChange`). An environment's base is `--base`, else the commit last applied to it (the
 * flag repository's deployment records, as apply reads them), else CI_COMMIT_BEFORE_SHA when there is no GitLab to
 * ask. So a rollout that an earlier pipeline left unapplied somewhere (a manual job never run) counts as carried, and
 * keeps the promotion order. The rollback lane is chosen only when it is certain: an environment without a base,
 * invalid flag files, no change at all or a schedule keep the promotion order.
 */
import { readLastApplied, type AppliedRecordTarget } from '../apply/applied-record.js';
import { instanceTargets } from '../config/instances.js';
import type { FlagopsConfig } from '../config/types.js';
import type { FlagChange } from '../gates/types.js';
import { createGit } from '../git/git.js';
import { hasErrors, type Finding } from '../model/finding.js';
import { resolveBase } from '../plan/base.js';
import { computeChanges, readBaseState } from '../plan/changes.js';
import { desiredFromDocuments } from '../plan/desired.js';
import { validateFlags } from '../rules/run-rules.js';
import type { ChangeSummary } from './generate-pipeline.js';

/** Pure: the lane of a set of changes. `comparable`: every environment had a base to compare with. */
export function summarizeChanges(changes: readonly Pick<FlagChange, 'kind'>[], context: { base?: string; comparable: boolean; scheduled: boolean; valid: boolean }): ChangeSummary {
  const rollbacks = changes.filter((c) => c.kind === 'rollback').length;
  // a schedule carries no change of its own: it applies whatever is pending, which may be a rollout
  const lane = context.valid && context.comparable && !context.scheduled && changes.length > 0 && rollbacks === changes.length ? 'rollback' : 'rollout';
  return { lane, changes: changes.length, rollbacks, scheduled: context.scheduled, ...(context.base ? { base: context.base } : {}) };
}

export async function readChangeSummary(options: {
  config: FlagopsConfig;
  base?: string;
  env: Record<string, string | undefined>;
  /** The flag repository's deployment records; without it every environment's base is --base / CI_COMMIT_BEFORE_SHA. */
  records?: AppliedRecordTarget;
  findings: Finding[];
}): Promise<ChangeSummary> {
  const { config, env } = options;
  const scheduled = env.CI_PIPELINE_SOURCE === 'schedule';
  const validation = validateFlags({ config });
  const current = desiredFromDocuments(validation.valid);
  const git = createGit({ cwd: config.dir });
  // the merge-request diff base never applies here: this runs after the merge, on the default branch
  const pushed = resolveBase({ ...(options.base ? { option: options.base } : {}), env: { CI_COMMIT_BEFORE_SHA: env.CI_COMMIT_BEFORE_SHA } });
  const pushedSha = pushed.rev ? await git.revParse(pushed.rev) : undefined;
  // environments share bases (every one at the previous push, as a rule): grouped, the files at each base are read
  // and compared once for all the environments at it
  const byBase = new Map<string, string[]>();
  let comparable = true;
  for (const environment of config.environments) {
    // a ring: each instance has its own last applied commit; every base one of them is at counts
    const revs = new Set<string | undefined>();
    if (!options.base && options.records) {
      for (const target of instanceTargets(environment)) revs.add((await readLastApplied({ target: options.records, env: target, git, findings: options.findings })).sha);
    } else revs.add(pushedSha);
    for (const rev of revs) {
      if (!rev) {
        comparable = false;
        continue;
      }
      const group = byBase.get(rev) ?? [];
      if (!group.includes(environment.name)) byBase.set(rev, [...group, environment.name]);
    }
  }
  const changes: FlagChange[] = [];
  for (const [rev, envs] of byBase) {
    const baseState = await readBaseState({ config, git, base: rev, current });
    changes.push(...computeChanges({ config, current, base: baseState, envs }));
  }
  return summarizeChanges(changes, { ...(pushedSha ? { base: pushedSha } : {}), comparable, scheduled, valid: !hasErrors(validation.findings) });
}
