/**
 * Planning one instance (DESIGN §5): its live state (read once), its last-applied record and base, the gates, and
 * the pure plan. Nothing is written here; execute-instance.ts carries out what this planned.
 */
import type { Backend, LiveState } from '../backends/types.js';
import { hasGates } from '../gates/configured.js';
import { resolveBase } from '../plan/base.js';
import { planEnvironment, type EnvPlan } from '../plan/build-plan.js';
import { readBaseState, type BaseState } from '../plan/changes.js';
import { readLastApplied, type AppliedRecordTarget, type LastApplied } from './applied-record.js';
import type { InstanceRun } from './apply-types.js';
import { runInstanceGates } from './instance-gates.js';
import { alignLive } from './open-instance.js';

/** One instance as planned: the plan, and what executing it needs (the backend that read the live state, the record). */
export interface PlannedInstance {
  envPlan: EnvPlan;
  backend: Backend;
  live: LiveState;
  baseState: BaseState;
  last: LastApplied;
  /** Where the applied commit is recorded (the flag repository), unless recording is off or there is no GitLab. */
  record?: AppliedRecordTarget;
}

export async function planInstance(run: InstanceRun): Promise<PlannedInstance> {
  const { env, config, git, current, gitlab } = run;
  const opened = await run.opened.ready();
  const { backend } = opened;
  const live = alignLive({ backend, live: opened.live, current, env: env.name });
  run.onLive?.(env.label, live);

  const record = gitlab.port && gitlab.project !== undefined && run.record !== false ? { port: gitlab.port, project: gitlab.project } : undefined;
  const last = await readLastApplied({ target: record, env, git, findings: run.findings });
  const base = resolveBase({ option: run.base, env: run.vars, lastApplied: last.sha });
  const baseState = await readBaseState({ config, git, base: base.rev, current });
  // the changes exist for the gates only: an environment without gates neither computes them (locating every changed
  // flag in its file, ~0.5 ms each) nor loads the gates
  const gateFindings = hasGates(env) ? await runInstanceGates({ ...run, baseState, live }) : [];
  // a failed verification's open revert merge request holds new rollouts of its flags here (src/verify)
  const revertOpen = env.verify && gitlab.port && gitlab.project !== undefined
    ? await (await import('../gates/revert-holds.js')).openRevertHolds(gitlab.port, gitlab.project, env.name)
    : undefined;
  const envPlan = planEnvironment({
    env,
    ...(revertOpen ? { revertOpen } : {}),
    planFlag: (flag, liveFlag, desired) => backend.plan(flag, liveFlag, desired),
    ...(backend.liveNote ? { liveNote: backend.liveNote.bind(backend) } : {}),
    ...(backend.steps ? { stepsOf: backend.steps.bind(backend) } : {}),
    current,
    base: baseState,
    live,
    gateFindings,
    prune: config.prune,
    maxDeletes: config.maxDeletes,
    checkDrift: baseState.sha !== undefined,
    interrupted: last.interrupted,
  });
  run.findings.push(...gateFindings);
  run.findings.push(...envPlan.findings);
  return { envPlan, backend, live, baseState, last, ...(record ? { record } : {}) };
}
