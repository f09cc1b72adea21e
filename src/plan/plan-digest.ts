/**
 * A plan's digest and its comparison with another plan (DESIGN §5: a saved plan is a claim, never a script). The
 * digest covers, per flag, what apply would do and why in the files' terms: the live state it read, the desired state
 * from the files and the status the gates gave. It leaves out the backend's own request payloads, so the check note
 * (planned from a published snapshot) and the apply report show the same digest for the same change. The comparison
 * of a saved plan with a fresh one covers the operations too. Pure.
 */
import { createHash } from 'node:crypto';
import { normalizeState, statesEqual, type MaybeState } from '../model/state.js';
import type { EnvPlan, FlagPlan } from './build-plan.js';

/** Hex characters shown: enough to compare by eye, and to tell two plans apart in practice. */
export const DIGEST_LENGTH = 12;

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`;
}

function flagEntry(f: FlagPlan): unknown {
  return { flag: f.flag, status: f.status, live: normalizeState(f.live) ?? null, desired: normalizeState(f.desired) ?? null };
}

const operationsOf = (f: FlagPlan): string => canonical(f.operations.map((o) => ({ action: o.action, payload: o.payload })));

/** The digest of one environment's plan: every flag's live and desired state and its status. */
export function envPlanDigest(plan: Pick<EnvPlan, 'env' | 'instance' | 'flags'>): string {
  const flags = [...plan.flags].sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0)).map(flagEntry);
  // an instance of a ring is in its digest; a plain environment's digest is what it always was
  const text = canonical({ env: plan.env, ...(plan.instance ? { instance: plan.instance } : {}), flags });
  return createHash('sha256').update(text).digest('hex').slice(0, DIGEST_LENGTH);
}

const sameState = (a: MaybeState | null, b: MaybeState | null): boolean => statesEqual(a ?? undefined, b ?? undefined);

/**
 * What differs between a saved plan and the plan made now, one line per difference, each naming its cause: the
 * live state, the files (desired state), the gates (status) or the operations. Empty when the plans agree.
 */
export function planDifferences(saved: Pick<EnvPlan, 'env' | 'backend' | 'flags'>, fresh: Pick<EnvPlan, 'env' | 'backend' | 'flags'>): string[] {
  const out: string[] = [];
  if (saved.backend !== fresh.backend) out.push(`backend: ${saved.backend} in the saved plan, ${fresh.backend} now`);
  const now = new Map(fresh.flags.map((f) => [f.flag, f]));
  const before = new Map(saved.flags.map((f) => [f.flag, f]));
  for (const f of saved.flags) {
    const n = now.get(f.flag);
    if (!n) {
      out.push(`${f.flag}: in the saved plan (${f.status}${f.operations.length ? `, ${f.operations.length} operation(s)` : ''}) but not planned now`);
      continue;
    }
    const causes: string[] = [];
    if (!sameState(f.live, n.live)) causes.push('live state changed');
    if (!sameState(f.desired, n.desired)) causes.push('files changed (desired state)');
    if (f.status !== n.status) causes.push(`gates: ${f.status} in the saved plan, ${n.status} now`);
    if (causes.length === 0 && operationsOf(f) !== operationsOf(n)) causes.push('operations differ from what apply would send now');
    if (causes.length > 0) out.push(`${f.flag}: ${causes.join('; ')}`);
  }
  for (const n of fresh.flags) if (!before.has(n.flag)) out.push(`${n.flag}: planned now (${n.status}) but not in the saved plan`);
  return out;
}
