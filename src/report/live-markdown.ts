/** The live part of the check note (DESIGN §6): what apply would do now, per environment, from the published snapshot. */
import type { LiveView } from '../check/live-plan.js';
import { describeState } from '../model/state.js';

export function renderLive(live: LiveView | undefined): string[] {
  if (!live) return [];
  if (live.source === 'none') return [`_No live snapshot (${escape(live.reason)}): the file diff only, not what apply would do._`, ''];
  const lines: string[] = [];
  const job = live.jobUrl ? ` by [this job](${live.jobUrl})` : '';
  const sets = live.operations.filter((op) => op.action !== 'delete');
  const deletes = live.operations.filter((op) => op.action === 'delete');
  const digest = live.digest ? `, plan digest \`${live.digest}\`` : '';
  lines.push(`**Live now** — snapshot read ${age(live.ageMs)} ago (${live.readAt.replace('T', ' ').slice(0, 16)} UTC${live.commit ? `, at ${live.commit.slice(0, 8)}` : ''})${job}${digest}:`, '');
  lines.push(`${sets.length} to change, ${deletes.length} to delete, ${live.pending.length} held`, '');
  if (live.operations.length === 0) lines.push('- apply would change nothing');
  for (const op of sets) lines.push(`- ✏️ set \`${op.flag}\`: ${escape(describeState(op.live))} → ${escape(describeState(op.desired))}`);
  for (const p of live.pending) lines.push(`- ⏸️ \`${p.flag}\` held: ${escape(p.reasons.join('; '))}`);
  if (live.noChange.length > 0) lines.push(`- no change live: ${live.noChange.map((f) => `\`${f}\``).join(', ')} (already so; no gate needed)`);
  lines.push('');
  if (deletes.length > 0) {
    lines.push(`**Deletes live state (${deletes.length})** — these flags stop existing in this environment:`, '');
    for (const op of deletes) lines.push(`- 🗑️ **delete** \`${op.flag}\` (live ${escape(describeState(op.live))}; ${op.why ?? 'delete'})`);
    lines.push('');
  }
  return lines;
}

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
