/** The merge-request note of `flagops check`: per environment, each changed flag, exposure before → after, each gate. */
import { isGateCode } from '../gates/configured.js';
import type { GateSummary } from '../gates/types.js';
import type { Finding } from '../model/finding.js';
import { describeState } from '../model/state.js';
import type { LiveView } from '../check/live-plan.js';
import { renderLive } from './live-markdown.js';

export interface CheckReportInput {
  environments: { name: string; summaries: GateSummary[]; live?: LiveView }[];
  findings: Finding[];
  /** Offline findings (validate) that block the merge request. */
  ok: boolean;
  footer?: string;
}

const ICON = { pass: '✅', fail: '❌', skip: '➖' } as const;

export function renderCheckMarkdown(input: CheckReportInput): string {
  const lines: string[] = [];
  lines.push(`### flagops check: ${input.ok ? '✅ all gates pass' : '❌ changes held'}`, '');
  const offline = input.findings.filter((f) => !f.env || !input.environments.some((e) => e.name === f.env && isGateCode(f.code)));
  const offlineErrors = offline.filter((f) => f.severity === 'error');
  if (offlineErrors.length > 0) {
    lines.push('**Invalid flag files**', '');
    for (const f of offlineErrors) lines.push(`- ❌ \`${f.file ?? ''}${f.line ? `:${f.line}` : ''}\` ${escape(f.message)}${f.hint ? ` — ${escape(f.hint)}` : ''}`);
    lines.push('');
  }
  const policy = input.findings.filter((f) => f.code.startsWith('config/') && f.severity === 'warning');
  if (policy.length > 0) {
    lines.push('**Policy changes** — this merge request is judged by the target branch\'s `flagops.yml`; these take effect once merged', '');
    for (const f of policy) lines.push(`- ⚠️ ${escape(f.message)}`);
    lines.push('');
  }
  const changed = input.environments.filter((e) => e.summaries.length > 0 || (e.live?.source === 'snapshot' && e.live.operations.length > 0));
  if (changed.length === 0) lines.push('No flag state changes in this merge request.', '');
  for (const env of changed) {
    const gateNames = [...new Set(env.summaries.flatMap((s) => s.gates.map((g) => g.gate)))];
    lines.push(`#### ${env.name}`, '');
    lines.push(...renderLive(env.live));
    if (env.summaries.length === 0) continue;
    lines.push(row(['flag', 'change', ...gateNames]), row(['---', '---', ...gateNames.map(() => ':-:')]));
    const notes: string[] = [];
    for (const s of env.summaries) {
      const cells = gateNames.map((name) => {
        const g = s.gates.find((x) => x.gate === name);
        if (!g) return '';
        if (g.status === 'fail' && g.message) notes.push(`- ❌ **${s.flag}** · ${name}: ${escape(g.message)}`);
        return ICON[g.status];
      });
      const change = `${describeState(s.before, s.defaultEnabled)} → ${describeState(s.after, s.defaultEnabled)} (${s.kind})`;
      lines.push(row([`\`${s.flag}\``, escape(change), ...cells]));
    }
    lines.push('');
    if (notes.length > 0) lines.push(...notes, '');
  }
  if (input.footer) lines.push(`<sub>${input.footer}</sub>`);
  return `${lines.join('\n').trim()}\n`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
