/** Human renderings of a plan and of apply results: text for logs, markdown for notes. */
import type { FlagResult } from '../apply/execute.js';
import type { RingStatus } from '../apply/ring-status.js';
import type { EnvPlan, FlagPlan } from '../plan/build-plan.js';
import { describeState } from '../model/state.js';

const MARK: Record<string, string> = {
  change: '~',
  pending: '⏸',
  'drift-held': '✗',
  applied: '✓',
  failed: '✗',
  'dry-run': '~',
};

/** The environment's name, or `<ring>/<instance>` for an instance of a ring. */
export function planLabel(plan: Pick<EnvPlan, 'env' | 'instance'>): string {
  return plan.instance ? `${plan.env}/${plan.instance}` : plan.env;
}

/** One line per ring: how many of its instances are converged, and which are not, with why. */
export function renderRingStatus(ring: RingStatus): string {
  const done = ring.instances.filter((i) => i.converged).length;
  const n = ring.instances.length;
  // --instance: only some instances were looked at, so nothing is said of the ring as a whole
  const head =
    n < ring.size
      ? `ring ${ring.env}: ${done} of the ${n} instance${n === 1 ? '' : 's'} of this run converged (--instance; the ring has ${ring.size}: flagops status --env ${ring.env})`
      : `ring ${ring.env}: ${ring.converged ? 'converged' : 'NOT converged'}, ${done} of ${n} instance${n === 1 ? '' : 's'} converged`;
  const missing = ring.instances.filter((i) => !i.converged).map((i) => `${i.instance} (${i.reason ?? 'not converged'})`);
  return missing.length > 0 ? `${head}; not converged: ${missing.join(', ')}` : head;
}

export function renderEnvText(plan: EnvPlan, results?: readonly FlagResult[]): string {
  const lines = [`== ${planLabel(plan)} (${plan.backend}${plan.base ? `, base ${plan.base.slice(0, 8)}` : ''})`];
  let inSync = 0;
  const deletes: string[] = [];
  for (const f of plan.flags) {
    const r = results?.find((x) => x.flag === f.flag);
    const outcome = r?.outcome ?? f.status;
    if (outcome === 'in-sync' || outcome === 'unmanaged') {
      inSync++;
      continue;
    }
    // deletes are listed apart, with their own marker: live state that stops existing is never "just a change"
    const out = isDelete(f) ? deletes : lines;
    const mark = isDelete(f) && (outcome === 'change' || outcome === 'dry-run') ? '-' : (MARK[outcome] ?? '?');
    out.push(`  ${mark} ${f.flag}: ${change(f)}${outcome === 'change' || outcome === 'dry-run' ? '' : ` [${outcome}]`}`);
    if (outcome === 'pending' || outcome === 'drift-held') for (const reason of f.reasons) out.push(`      ${reason}`);
    else if (outcome === 'failed') out.push(`      ${r?.error?.message ?? ''}`);
    else for (const op of f.operations) out.push(`      ${op.describe}`);
  }
  if (deletes.length > 0) lines.push(`  deletes (${plan.flags.filter(isDelete).length}):`, ...deletes);
  const digest = plan.digest ? `; ${results?.some((r) => r.outcome !== 'dry-run') ? 'applied plan' : 'plan'} digest ${plan.digest}` : '';
  lines.push(`  ${summary(plan, results)}${inSync ? `; ${inSync} in sync` : ''}${digest}`);
  return lines.join('\n');
}

/** The flag's live state is removed (a removed file, an environment left out of a managed file, prune). */
export function isDelete(f: FlagPlan): boolean {
  return f.desired === undefined && f.live !== undefined && f.operations.some((o) => o.action === 'delete');
}

function change(f: FlagPlan): string {
  return `${describeState(f.live)} → ${describeState(f.desired)}`;
}

export function counts(plan: EnvPlan, results?: readonly FlagResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of plan.flags) {
    const outcome = results?.find((r) => r.flag === f.flag)?.outcome ?? (f.status === 'change' ? (isDelete(f) ? 'to delete' : 'to change') : f.status);
    out[outcome] = (out[outcome] ?? 0) + 1;
  }
  return out;
}

function summary(plan: EnvPlan, results?: readonly FlagResult[]): string {
  const c = counts(plan, results);
  const parts = Object.entries(c)
    .filter(([k]) => k !== 'in-sync' && k !== 'unmanaged')
    .map(([k, n]) => `${n} ${k === 'dry-run' ? 'to change (dry run)' : k}`);
  const deleting = plan.flags.filter((f) => isDelete(f) && f.status === 'change').length;
  if (results && deleting > 0) parts.push(`${deleting} of them ${results.some((r) => r.outcome === 'dry-run') ? 'to delete' : 'deletes'}`);
  return parts.length ? parts.join(', ') : 'nothing to change';
}

export function renderPlanMarkdown(plans: readonly EnvPlan[], results?: readonly (readonly FlagResult[])[]): string {
  const lines: string[] = [];
  plans.forEach((plan, i) => {
    const rs = results?.[i];
    const rows = plan.flags.filter((f) => f.status !== 'in-sync' && f.status !== 'unmanaged');
    lines.push(`#### ${planLabel(plan)}`, '');
    if (rows.length === 0) {
      lines.push('In sync: nothing to change.', '');
      return;
    }
    lines.push('| flag | live → desired | status | operations |', '|---|---|---|---|');
    for (const f of rows) {
      const outcome = rs?.find((r) => r.flag === f.flag)?.outcome ?? f.status;
      const detail = outcome === 'pending' || outcome === 'drift-held' ? f.reasons.join('<br>') : f.operations.map((o) => `\`${o.describe}\``).join('<br>');
      lines.push(`| \`${f.flag}\` | ${change(f).replace(/\|/g, '\\|')} | ${isDelete(f) && (outcome === 'change' || outcome === 'dry-run') ? '- delete' : `${MARK[outcome] ?? ''} ${outcome}`} | ${detail.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  });
  return `${lines.join('\n').trim()}\n`;
}

/** `flagops status`: every flag of the environment with its status and reason. */
export function renderStatusText(plan: EnvPlan): string {
  const lines = [`== ${planLabel(plan)} (${plan.backend})`];
  const width = Math.max(4, ...plan.flags.map((f) => f.flag.length));
  for (const f of plan.flags) {
    const status = f.status === 'change' ? 'out of sync' : f.status === 'drift-held' ? 'drift' : f.status;
    const detail = f.status === 'in-sync' ? describeState(f.live) : f.reasons.length ? f.reasons.join('; ') : change(f);
    lines.push(`  ${f.flag.padEnd(width)}  ${status.padEnd(11)}  ${detail}`);
  }
  if (plan.flags.length === 0) lines.push('  no managed flags');
  return lines.join('\n');
}
