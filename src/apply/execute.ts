/**
 * Executing a plan: bounded concurrency across flags, strict order within a flag, read-back verification.
 * Retries of transient failures happen in the GitLab transport; an operation that still fails leaves its flag
 * `failed` (reported, exit 3) and the other flags go on. Authentication and configuration errors stop everything.
 *
 * Verification reads the environment back ONCE after every flag's operations are done (`Backend.read`), not once
 * per flag: neither GitLab API can read one flag alone, so a per-flag read-back fetched the whole list for every
 * flag (1,000 changes = 1,000 extra full-list GETs). Requests per environment: one read, the writes, one read.
 */
import type { Backend, LiveState } from '../backends/types.js';
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
  /** Called when a flag's operations are done (progress); its outcome may still turn `failed` at verification. */
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
  if (backend.executeAll && work.length > 0) {
    await executeAsOne(backend, work, results, options.onFlag);
    await verify(backend, work, results);
    return plan.flags.map((f) => results.get(f.flag)!);
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
  await verify(backend, work, results);
  return plan.flags.map((f) => results.get(f.flag)!);
}

/** A backend that writes its whole state at once: every flag's operations in one write, all or nothing. */
async function executeAsOne(
  backend: Backend,
  work: readonly FlagPlan[],
  results: Map<string, FlagResult>,
  onFlag: ExecuteOptions['onFlag'],
): Promise<void> {
  try {
    await backend.executeAll!(work.flatMap((f) => f.operations));
  } catch (error) {
    if (isFatal(error)) throw error;
    for (const f of work) results.set(f.flag, failed(f.flag, [], error));
    return;
  }
  for (const f of work) {
    const result: FlagResult = { flag: f.flag, outcome: 'applied', done: f.operations.map((o) => o.describe) };
    results.set(f.flag, result);
    onFlag?.(result);
  }
}

/** Runs a flag's operations in order; `applied` means "written", until `verify` says it reads back right. */
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
  return { flag: f.flag, outcome: 'applied', done };
}

/** One read of the whole environment; every written flag must plan to nothing from what it reads back as. */
async function verify(backend: Backend, work: readonly FlagPlan[], results: Map<string, FlagResult>): Promise<void> {
  const written = work.filter((f) => results.get(f.flag)?.outcome === 'applied');
  if (written.length === 0) return;
  let live: LiveState;
  try {
    live = await backend.read();
  } catch (error) {
    if (isFatal(error)) throw error;
    for (const f of written) results.set(f.flag, failed(f.flag, results.get(f.flag)!.done, error));
    return;
  }
  for (const f of written) {
    const after = live.get(f.flag);
    // converged when planning again from what was read back asks for nothing (equal states can still need a write,
    // e.g. an opt-out gate, and some equal-meaning states read back in another form)
    if (backend.plan(f.flag, after, f.desired).length === 0) continue;
    results.set(f.flag, {
      flag: f.flag,
      outcome: 'failed',
      done: results.get(f.flag)!.done,
      error: { kind: 'verify', message: `read back ${JSON.stringify(after?.state ?? null)}, expected ${JSON.stringify(f.desired ?? null)}` },
    });
  }
}

function isFatal(error: unknown): boolean {
  return error instanceof FlagopsError && (error.kind === 'auth' || error.kind === 'config' || error.kind === 'usage');
}

function failed(flag: string, done: string[], error: unknown): FlagResult {
  const kind = error instanceof FlagopsError ? error.kind : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { flag, outcome: 'failed', done, error: { kind, message } };
}
