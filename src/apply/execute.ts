/**
 * Executing a plan: bounded concurrency across flags, strict order within a flag, read-back verification.
 * Retries of transient failures happen in the GitLab transport; an operation that still fails leaves its flag
 * `failed` (reported, exit 3) and the other flags go on. Authentication and configuration errors stop everything.
 */
import type { Backend } from '../backends/types.js';
import { FlagopsError } from '../errors/errors.js';
import type { EnvPlan, FlagPlan } from '../plan/build-plan.js';

export type FlagOutcome = 'applied' | 'failed' | 'in-sync' | 'pending' | 'drift-held' | 'unmanaged' | 'dry-run';

export interface FlagResult {
  flag: string;
  outcome: FlagOutcome;
  /** Operations done, in order. */
  done: string[];
  error?: { kind: string; message: string };
}

export interface ExecuteOptions {
  backend: Backend;
  plan: EnvPlan;
  concurrency: number;
  dryRun: boolean;
  onFlag?: (result: FlagResult) => void;
}

export async function executePlan(options: ExecuteOptions): Promise<FlagResult[]> {
  const { backend, plan } = options;
  const results = new Map<string, FlagResult>();
  const work: FlagPlan[] = [];
  for (const f of plan.flags) {
    if (f.status === 'change' && f.operations.length > 0) {
      if (options.dryRun) results.set(f.flag, { flag: f.flag, outcome: 'dry-run', done: [] });
      else work.push(f);
    } else {
      results.set(f.flag, { flag: f.flag, outcome: f.status === 'change' ? 'in-sync' : f.status, done: [] });
    }
  }
  let fatal: unknown;
  const queue = [...work];
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f && fatal === undefined; f = queue.shift()) {
      const result = await applyFlag(backend, f).catch((error: unknown) => {
        if (isFatal(error)) fatal = error;
        return failed(f!.flag, [], error);
      });
      results.set(f.flag, result);
      options.onFlag?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, work.length)) }, worker));
  if (fatal !== undefined) throw fatal;
  return plan.flags.map((f) => results.get(f.flag)!);
}

async function applyFlag(backend: Backend, f: FlagPlan): Promise<FlagResult> {
  const done: string[] = [];
  for (const op of f.operations) {
    try {
      await backend.execute(op);
    } catch (error) {
      if (isFatal(error)) throw error;
      return failed(f.flag, done, error);
    }
    done.push(op.describe);
  }
  const after = await backend.readFlag(f.flag).catch((error: unknown) => {
    if (isFatal(error)) throw error;
    return { error };
  });
  if (after && 'error' in after) return failed(f.flag, done, after.error);
  // converged when planning again from what was read back asks for nothing (equal states can still need a write,
  // e.g. an opt-out gate, and some equal-meaning states read back in another form)
  const rest = backend.plan(f.flag, after, f.desired);
  if (rest.length > 0) {
    return {
      flag: f.flag,
      outcome: 'failed',
      done,
      error: { kind: 'verify', message: `read back ${JSON.stringify(after?.state ?? null)}, expected ${JSON.stringify(f.desired ?? null)}` },
    };
  }
  return { flag: f.flag, outcome: 'applied', done };
}

function isFatal(error: unknown): boolean {
  return error instanceof FlagopsError && (error.kind === 'auth' || error.kind === 'config' || error.kind === 'usage');
}

function failed(flag: string, done: string[], error: unknown): FlagResult {
  const kind = error instanceof FlagopsError ? error.kind : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { flag, outcome: 'failed', done, error: { kind, message } };
}
