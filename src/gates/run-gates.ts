/**
 * The one loop that runs the rollout gates (DESIGN §4) for the changes of one environment.
 * Rollbacks skip the gates that protect rollouts; errors (GitlabError, GitError, ConfigError) propagate.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import { changeRequestGate } from './change-request.js';
import { GATE_CONFIGURED } from './configured.js';
import { createMemo } from './common.js';
import { deployedGate } from './deployed.js';
import { freezeGate } from './freeze.js';
import { productionCheckGate } from './production-check.js';
import { promotionGate } from './promotion.js';
import { soakGate } from './soak.js';
import { stepGate } from './step.js';
import type { FlagChange, Gate, GateContext, GateName, GateStatus, GateSummary } from './types.js';

export interface GateDefinition {
  name: GateName;
  /** Whether the environment's config turns the gate on; gates not configured are left out of summaries. */
  configured(env: EnvironmentConfig): boolean;
  /** Whether the gate also checks rollbacks in this environment (rollout gates never hold them). */
  onRollback(env: EnvironmentConfig): boolean;
  run: Gate;
}

/** In the order of DESIGN §4's table. */
export const ROLLOUT_GATES: readonly GateDefinition[] = [
  { name: 'promotion', configured: GATE_CONFIGURED.promotion, onRollback: () => false, run: promotionGate },
  { name: 'soak', configured: GATE_CONFIGURED.soak, onRollback: () => false, run: soakGate },
  { name: 'step', configured: GATE_CONFIGURED.step, onRollback: () => false, run: stepGate },
  { name: 'deployed', configured: GATE_CONFIGURED.deployed, onRollback: () => false, run: deployedGate },
  {
    name: 'change-request',
    configured: GATE_CONFIGURED['change-request'],
    // `required: always`: rollbacks are checked too, but only warned about (see change-request.ts)
    onRollback: (e) => e.changeManagement?.required === 'always',
    run: changeRequestGate,
  },
  { name: 'freeze', configured: GATE_CONFIGURED.freeze, onRollback: () => false, run: freezeGate },
  {
    name: 'production-check',
    configured: GATE_CONFIGURED['production-check'],
    onRollback: () => false,
    run: productionCheckGate,
  },
];

export interface RunGatesResult {
  findings: Finding[];
  /** One per change of the environment, in input order, for the MR note table. */
  summaries: GateSummary[];
}

export async function runGates(opts: {
  /** Changes of any environment: only those of `ctx.env` are checked. */
  changes: readonly FlagChange[];
  ctx: GateContext;
  gates?: readonly GateDefinition[];
  /** How many flags are checked at once (GitLab lookups are shared through the memo). Default 4. */
  concurrency?: number;
}): Promise<RunGatesResult> {
  const ctx: GateContext = { ...opts.ctx, memo: opts.ctx.memo ?? createMemo() };
  const env = ctx.env;
  const gates = (opts.gates ?? ROLLOUT_GATES).filter((g) => g.configured(env));
  const changes = opts.changes.filter((c) => c.env === env.name);

  const results = await mapLimit(changes, opts.concurrency ?? 4, async (change) => {
    const findings: Finding[] = [];
    const statuses: GateStatus[] = [];
    for (const gate of gates) {
      const skip = skipReason(change, gate, env);
      if (skip !== undefined) {
        statuses.push({ gate: gate.name, status: 'skip', message: skip });
        continue;
      }
      const found = await gate.run(change, ctx);
      findings.push(...found);
      statuses.push(statusOf(gate.name, found));
    }
    const summary: GateSummary = {
      flag: change.flag,
      env: change.env,
      file: change.file,
      kind: change.kind,
      before: change.before,
      after: change.after,
      defaultEnabled: change.defaultEnabled,
      gates: statuses,
    };
    return { findings, summary };
  });
  return { findings: results.flatMap((r) => r.findings), summaries: results.map((r) => r.summary) };
}

function skipReason(change: FlagChange, gate: GateDefinition, env: EnvironmentConfig): string | undefined {
  if (change.kind === 'none') return 'unchanged';
  if (change.kind === 'rollback' && !gate.onRollback(env)) return 'rollback';
  return undefined;
}

function statusOf(gate: GateName, findings: readonly Finding[]): GateStatus {
  const error = findings.find((f) => f.severity === 'error');
  if (error) return { gate, status: 'fail', message: error.message };
  const warning = findings.find((f) => f.severity === 'warning');
  return warning ? { gate, status: 'pass', message: warning.message } : { gate, status: 'pass' };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
