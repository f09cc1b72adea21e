/**
 * The rollout gates of one instance's apply (DESIGN §4): each changed flag judged from the instance's live state to
 * its desired state. The soak source (the `after` environment's records) is made once per environment and shared by
 * the instances of a ring, so a ring of 40 reads its `after` ring's records once, not 40 times.
 */
import { resolve } from 'node:path';
import type { LiveState } from '../backends/types.js';
import type { InstanceTarget } from '../config/instances.js';
import type { EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import type { createMemo } from '../gates/common.js';
import type { AppliedHistoryProvider, FlagChange } from '../gates/types.js';
import type { Git } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import { classifyChange } from '../model/state.js';
import { computeChanges, type readBaseState } from '../plan/changes.js';
import type { desiredFromDocuments } from '../plan/desired.js';
import type { GitlabTarget } from './gitlab-target.js';

/** The soak source of one environment, made on first use with the flag files its first instance asks about. */
export type SoakSourceOf = (files: readonly string[]) => Promise<AppliedHistoryProvider | undefined>;

export function soakSourceOnce(args: { env: EnvironmentConfig; config: FlagopsConfig; git: Git; now: Date; gitlab: GitlabTarget }): SoakSourceOf {
  let made: Promise<AppliedHistoryProvider | undefined> | undefined;
  return (files) =>
    (made ??= import('../gates/soak-source.js').then(({ createSoakSource }) =>
      createSoakSource({
        config: args.config,
        files,
        envs: [args.env],
        git: args.git,
        now: args.now,
        ...(args.gitlab.port && args.gitlab.project !== undefined ? { records: { port: args.gitlab.port, project: args.gitlab.project } } : {}),
      }),
    ));
}

/**
 * In apply, gates judge operations, not file diffs (DESIGN §4): each changed flag is judged from its live state to
 * its desired state. A flag already live as desired has nothing to apply and runs no gate (adopting live flags with
 * `import` leaves apply green); one whose operation only lowers exposure is a rollback, whatever the files did.
 */
function judgedAgainstLive(changes: FlagChange[], live: LiveState): FlagChange[] {
  const out: FlagChange[] = [];
  for (const change of changes) {
    const before = live.get(change.flag)?.state;
    const kind = classifyChange(before, change.after, change.defaultEnabled);
    if (kind === 'none') continue;
    // assigned, not spread: the change's position is a lazy getter that only a finding should evaluate
    change.before = before;
    change.kind = kind;
    out.push(change);
  }
  return out;
}

export async function runInstanceGates(args: {
  env: InstanceTarget;
  config: FlagopsConfig;
  current: ReturnType<typeof desiredFromDocuments>;
  baseState: Awaited<ReturnType<typeof readBaseState>>;
  live: LiveState;
  git: Git;
  gitlab: GitlabTarget;
  now: Date;
  memo: ReturnType<typeof createMemo>;
  soakSource: SoakSourceOf;
}): Promise<Finding[]> {
  const { env, config, git, gitlab } = args;
  const { runGates } = await import('../gates/run-gates.js');
  const changes = judgedAgainstLive(computeChanges({ config, current: args.current, base: args.baseState, envs: [env.name] }), args.live);
  // made per environment: an `after` environment applied earlier in this run counts with its new record
  const applied = await args.soakSource(changes.filter((c) => c.kind === 'rollout').map((c) => c.file));
  // outside a merge request, the MR that brought the commit: its change issue, its production-check override label
  if ((env.changeManagement || env.productionCheck) && !gitlab.mr) await addCommitShas(changes, git, config.dir);
  const { findings } = await runGates({
    changes,
    ctx: {
      now: args.now,
      env,
      environments: config.environments,
      ...(gitlab.port ? { port: gitlab.port } : {}),
      ...(gitlab.project !== undefined ? { flagProject: gitlab.project } : {}),
      ...(gitlab.mr ? { mr: gitlab.mr } : {}),
      ...(applied ? { applied } : {}),
      // shared by every instance of the run: a ring's deployment, freeze and production-check lookups are made once
      memo: args.memo,
    },
  });
  return findings;
}

/** Outside a merge request, the change-request gate finds the MR through the commit that last changed the file. */
async function addCommitShas(changes: FlagChange[], git: Git, dir: string): Promise<void> {
  for (const change of changes) {
    const history = await git.fileHistory({ path: resolve(dir, change.file), ref: 'HEAD' }).catch(() => []);
    if (history[0]) change.commitSha = history[0].sha;
  }
}
