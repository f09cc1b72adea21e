/**
 * Rings in a run (README "Rings"): a few instances at once, findings that name their instance, and per ring which
 * instances are converged. A ring is converged only when every one of its instances is; `status` and `apply` name
 * the ones that are not.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { FlagopsError } from '../errors/errors.js';
import type { InstanceTarget } from '../config/instances.js';
import type { Finding } from '../model/finding.js';
import type { FlagResult } from './execute.js';
import type { EnvResult, RunMode } from './apply-types.js';

export interface InstanceStatus {
  instance: string;
  /** Every managed flag is as the files say (after this run, in apply). */
  converged: boolean;
  /** Why not, e.g. `2 pending, 1 failed` or the failure's message. */
  reason?: string;
}

export interface RingStatus {
  env: string;
  /** The instances this run worked on (all of them, unless `--instance` named some). */
  instances: InstanceStatus[];
  /** How many instances the ring has. */
  size: number;
  /** Every instance of the ring was in this run and is converged. */
  converged: boolean;
}

/** Runs `work` over `items`, at most `limit` at once; results in the items' order. Every item runs even when one throws; then the first error is thrown. */
export async function eachBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        out[i] = await work(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return out;
}

/** Runs the works given to it one after the other, in the order given (each after the one before settled). */
export type Serially = <R>(work: () => Promise<R>) => Promise<R>;

export function serially(): Serially {
  let last: Promise<unknown> = Promise.resolve();
  return <R>(work: () => Promise<R>): Promise<R> => {
    const run = last.then(work, work);
    last = run.catch(() => undefined);
    return run;
  };
}

/** A ring's instance that could not be read or written after retries: an error naming it, and nothing planned. */
export function instanceFailed(target: InstanceTarget, error: FlagopsError, findings: Finding[]): EnvResult {
  findings.push({
    code: 'apply/instance-failed',
    severity: 'error',
    env: target.name,
    message: `${target.label}: ${error.message}`,
    hint: `${target.name} is not converged until ${target.instance} is: the other instances keep their state; flagops apply --env ${target.name} --instance ${target.instance} completes it`,
  });
  return {
    plan: { env: target.name, instance: target.instance, backend: target.backend.type, flags: [], findings: [] },
    results: [],
    label: target.label,
    failed: error.message,
  };
}

/** The findings of one instance of a ring name it: `instance` set, and the message starting with `<ring>/<instance>`. */
export function tagInstance(findings: readonly Finding[], target: InstanceTarget): Finding[] {
  return findings.map((f) => {
    if (f.instance) return f;
    const ring = `${target.name}: `;
    const message = f.message.startsWith(`${target.label}`) ? f.message : f.message.startsWith(ring) ? `${target.label}: ${f.message.slice(ring.length)}` : `${target.label}: ${f.message}`;
    return { ...f, instance: target.instance, message };
  });
}

const CONVERGED: ReadonlySet<FlagResult['outcome']> = new Set(['applied', 'in-sync', 'unmanaged']);

/** Pure: each instance of the ring converged or not, from this run's results (in plan or status: from the plan). */
export function ringStatus(args: { env: EnvironmentConfig; mode: RunMode; results: readonly EnvResult[] }): RingStatus {
  const instances = args.env.instances.flatMap((i): InstanceStatus[] => {
    const r = args.results.find((x) => x.plan.instance === i.name);
    if (!r) return []; // not selected (--instance)
    if (r.failed) return [{ instance: i.name, converged: false, reason: `failed: ${r.failed}` }];
    const outcomes = args.mode === 'apply' ? r.results.map((x) => x.outcome) : r.plan.flags.map((f) => (f.status === 'change' ? ('dry-run' as const) : f.status));
    const counts = new Map<string, number>();
    for (const o of outcomes) if (!CONVERGED.has(o)) counts.set(o, (counts.get(o) ?? 0) + 1);
    if (counts.size === 0) return [{ instance: i.name, converged: true }];
    const reason = [...counts].map(([o, n]) => `${n} ${o === 'dry-run' ? 'out of sync' : o}`).join(', ');
    return [{ instance: i.name, converged: false, reason }];
  });
  const size = args.env.instances.length;
  return { env: args.env.name, instances, size, converged: instances.length === size && instances.every((i) => i.converged) };
}
