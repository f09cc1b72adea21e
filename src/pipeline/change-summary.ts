/**
 * What a pipeline carries, for choosing its lane: the flag files at the base (--base, else CI_COMMIT_BEFORE_SHA)
 * compared with HEAD's working tree by the planner's own change computation (src/plan/changes.ts) and exposure
 * order (src/model/state.ts `classifyChange`). The rollback lane is chosen only when it is certain: with no base,
 * invalid flag files or no change at all, the pipeline keeps the promotion order.
 */
import type { FlagopsConfig } from '../config/types.js';
import type { FlagChange } from '../gates/types.js';
import { createGit } from '../git/git.js';
import { hasErrors } from '../model/finding.js';
import { resolveBase } from '../plan/base.js';
import { computeChanges, readBaseState } from '../plan/changes.js';
import { desiredFromDocuments } from '../plan/desired.js';
import { validateFlags } from '../rules/run-rules.js';
import type { ChangeSummary } from './generate-pipeline.js';

/** Pure: the lane of a set of changes. */
export function summarizeChanges(changes: readonly Pick<FlagChange, 'kind'>[], context: { base?: string; scheduled: boolean; valid: boolean }): ChangeSummary {
  const rollbacks = changes.filter((c) => c.kind === 'rollback').length;
  // a schedule carries no change of its own: it applies whatever is pending, which may be a rollout
  const lane = context.valid && context.base && !context.scheduled && changes.length > 0 && rollbacks === changes.length ? 'rollback' : 'rollout';
  return { lane, changes: changes.length, rollbacks, scheduled: context.scheduled, ...(context.base ? { base: context.base } : {}) };
}

export async function readChangeSummary(options: { config: FlagopsConfig; base?: string; env: Record<string, string | undefined> }): Promise<ChangeSummary> {
  const { config, env } = options;
  const scheduled = env.CI_PIPELINE_SOURCE === 'schedule';
  const validation = validateFlags({ config });
  const current = desiredFromDocuments(validation.valid);
  // the merge-request diff base never applies here: this runs after the merge, on the default branch
  const resolved = resolveBase({ ...(options.base ? { option: options.base } : {}), env: { CI_COMMIT_BEFORE_SHA: env.CI_COMMIT_BEFORE_SHA } });
  const git = createGit({ cwd: config.dir });
  const baseState = await readBaseState({ config, git, base: resolved.rev, current });
  const changes = computeChanges({ config, current, base: baseState });
  return summarizeChanges(changes, { ...(baseState.sha ? { base: baseState.sha } : {}), scheduled, valid: !hasErrors(validation.findings) });
}
