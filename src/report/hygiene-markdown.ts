/** The hygiene report as Markdown: one table row per finding (reason, flag, what, next step). */
import type { Finding } from '../model/finding.js';

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderHygieneMarkdown(args: { findings: readonly Finding[]; flags: number }): string {
  const due = args.findings.filter((f) => f.severity !== 'info');
  const notes = args.findings.filter((f) => f.severity === 'info');
  const lines = [`## Feature flag hygiene`, '', `${due.length} finding${due.length === 1 ? '' : 's'} in ${args.flags} flag${args.flags === 1 ? '' : 's'}.`, ''];
  if (due.length > 0) {
    lines.push('| reason | flag | finding | next step |', '|---|---|---|---|');
    for (const f of due) lines.push(`| ${cell(f.code.replace(/^hygiene\//, ''))} | \`${cell(f.flag)}\` | ${cell(f.message)} | ${cell(f.hint)} |`);
    lines.push('');
  }
  for (const n of notes) lines.push(`> ${cell(n.message)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
