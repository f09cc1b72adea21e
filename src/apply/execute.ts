/**
 * Executing a plan: bounded concurrency across flags, strict order within a flag, read-back verification.
 * Retries of transient failures happen in the GitLab transport; an operation that still fails leaves its flag
 * `failed` (reported, exit 3) and the other flags go on. Authentication and configuration errors stop everything.
 *
 * Verification reads the environment back ONCE after every flag's operations are done (`Backend.read`), not once
 * per flag: neither GitLab API can read one flag alone, so a per-flag read-back fetched the whole list for every
 * flag (1,000 changes = 1,000 extra full-list GETs). Requests per environment: one read, the writes, one read.
 */
import type { Backend, WriteEcho } from '../backends/types.js';
import { FlagopsError, LicensedNameError } from '../errors/errors.js';
import type { EnvPlan, FlagPlan } from '../plan/build-plan.js';
import { readBack, realClock, type ReadBackClock } from './read-back.js';

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
  /** Time for read-back retries (default: the real clock). */
  clock?: ReadBackClock;
}

export async function executePlan(options: ExecuteOptions): Promise<FlagResult[]> {
  const { backend, plan } = options;
  const results = new Map<string, FlagResult>();
  const echoes = new Map<string, WriteEcho>();
  const clock = options.clock ?? realClock;
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
    await verify({ backend, work, results, echoes, clock });
    return plan.flags.map((f) => results.get(f.flag)!);
  }
  let fatal: unknown;
  const queue = [...work];
  const worker = async (): Promise<void> => {
    for (let f = queue.shift(); f && fatal === undefined; f = queue.shift()) {
      const result = await applyFlag(backend, f, echoes).catch((error: unknown) => {
        if (isFatal(error)) fatal = error;
        return failed(f!.flag, [], error);
      });
      results.set(f.flag, result);
      options.onFlag?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, work.length)) }, worker));
  if (fatal !== undefined) throw fatal;
  await verify({ backend, work, results, echoes, clock });
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
async function applyFlag(backend: Backend, f: FlagPlan, echoes: Map<string, WriteEcho>): Promise<FlagResult> {
  const done: string[] = [];
  for (const op of f.operations) {
    try {
      const echo = await backend.execute(op);
      if (echo) echoes.set(f.flag, echo);
      else echoes.delete(f.flag);
    } catch (error) {
      if (isFatal(error)) throw error;
      return failed(f.flag, done, error);
    }
    done.push(op.describe);
  }
  return { flag: f.flag, outcome: 'applied', done };
}

/** The writes' own answers, then one read of the environment (again, within a read cache's window; read-back.ts). */
async function verify(args: {
  backend: Backend;
  work: readonly FlagPlan[];
  results: Map<string, FlagResult>;
  echoes: ReadonlyMap<string, WriteEcho>;
  clock: ReadBackClock;
}): Promise<void> {
  const { backend, results } = args;
  const written = args.work.filter((f) => results.get(f.flag)?.outcome === 'applied');
  if (written.length === 0) return;
  let wrong;
  try {
    wrong = await readBack({ backend, written, echoes: args.echoes, clock: args.clock, wroteAt: args.clock.now(), read: () => backend.read() });
  } catch (error) {
    if (isFatal(error)) throw error;
    for (const f of written) results.set(f.flag, failed(f.flag, results.get(f.flag)!.done, error));
    return;
  }
  for (const w of wrong) {
    const f = written.find((x) => x.flag === w.flag)!;
    const what = w.source === 'response' ? "the write's own response shows" : 'read back';
    results.set(f.flag, {
      flag: f.flag,
      outcome: 'failed',
      done: results.get(f.flag)!.done,
      error: { kind: 'verify', message: `${what} ${JSON.stringify(w.after?.state ?? null)}, expected ${JSON.stringify(f.desired ?? null)}` },
    });
  }
}

function isFatal(error: unknown): boolean {
  return error instanceof FlagopsError && (error.kind === 'auth' || error.kind === 'config' || error.kind === 'usage');
}

function failed(flag: string, done: string[], error: unknown): FlagResult {
  const kind = error instanceof LicensedNameError ? 'licensed-name' : error instanceof FlagopsError ? error.kind : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { flag, outcome: 'failed', done, error: { kind, message } };
}
