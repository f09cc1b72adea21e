/** Human renderings of a plan and of apply results: text for logs, markdown for notes. */
import type { FlagResult } from '../apply/execute.js';
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

export function renderEnvText(plan: EnvPlan, results?: readonly FlagResult[]): string {
  const lines = [`== ${plan.env} (${plan.backend}${plan.base ? `, base ${plan.base.slice(0, 8)}` : ''})`];
  let inSync = 0;
  for (const f of plan.flags) {
    const r = results?.find((x) => x.flag === f.flag);
    const outcome = r?.outcome ?? f.status;
    if (outcome === 'in-sync' || outcome === 'unmanaged') {
      inSync++;
      continue;
    }
    lines.push(`  ${MARK[outcome] ?? '?'} ${f.flag}: ${change(f)}${outcome === 'change' || outcome === 'dry-run' ? '' : ` [${outcome}]`}`);
    if (outcome === 'pending' || outcome === 'drift-held') for (const reason of f.reasons) lines.push(`      ${reason}`);
    else if (outcome === 'failed') lines.push(`      ${r?.error?.message ?? ''}`);
    else for (const op of f.operations) lines.push(`      ${op.describe}`);
  }
  lines.push(`  ${summary(plan, results)}${inSync ? `; ${inSync} in sync` : ''}`);
  return lines.join('\n');
}

function change(f: FlagPlan): string {
  return `${describeState(f.live)} → ${describeState(f.desired)}`;
}

export function counts(plan: EnvPlan, results?: readonly FlagResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of plan.flags) {
    const outcome = results?.find((r) => r.flag === f.flag)?.outcome ?? (f.status === 'change' ? 'to change' : f.status);
    out[outcome] = (out[outcome] ?? 0) + 1;
  }
  return out;
}

function summary(plan: EnvPlan, results?: readonly FlagResult[]): string {
  const c = counts(plan, results);
  const parts = Object.entries(c)
    .filter(([k]) => k !== 'in-sync' && k !== 'unmanaged')
    .map(([k, n]) => `${n} ${k === 'dry-run' ? 'to change (dry run)' : k}`);
  return parts.length ? parts.join(', ') : 'nothing to change';
}

export function renderPlanMarkdown(plans: readonly EnvPlan[], results?: readonly (readonly FlagResult[])[]): string {
  const lines: string[] = [];
  plans.forEach((plan, i) => {
    const rs = results?.[i];
    const rows = plan.flags.filter((f) => f.status !== 'in-sync' && f.status !== 'unmanaged');
    lines.push(`#### ${plan.env}`, '');
    if (rows.length === 0) {
      lines.push('In sync: nothing to change.', '');
      return;
    }
    lines.push('| flag | live → desired | status | operations |', '|---|---|---|---|');
    for (const f of rows) {
      const outcome = rs?.find((r) => r.flag === f.flag)?.outcome ?? f.status;
      const detail = outcome === 'pending' || outcome === 'drift-held' ? f.reasons.join('<br>') : f.operations.map((o) => `\`${o.describe}\``).join('<br>');
      lines.push(`| \`${f.flag}\` | ${change(f).replace(/\|/g, '\\|')} | ${MARK[outcome] ?? ''} ${outcome} | ${detail.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  });
  return `${lines.join('\n').trim()}\n`;
}

/** `flagops status`: every flag of the environment with its status and reason. */
export function renderStatusText(plan: EnvPlan): string {
  const lines = [`== ${plan.env} (${plan.backend})`];
  const width = Math.max(4, ...plan.flags.map((f) => f.flag.length));
  for (const f of plan.flags) {
    const status = f.status === 'change' ? 'out of sync' : f.status === 'drift-held' ? 'drift' : f.status;
    const detail = f.status === 'in-sync' ? describeState(f.live) : f.reasons.length ? f.reasons.join('; ') : change(f);
    lines.push(`  ${f.flag.padEnd(width)}  ${status.padEnd(11)}  ${detail}`);
  }
  if (plan.flags.length === 0) lines.push('  no managed flags');
  return lines.join('\n');
}
