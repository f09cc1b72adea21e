/** The live part of the check note (DESIGN §6): what apply would do now, per environment, from the published snapshot. */
import type { LiveView } from '../check/live-plan.js';
import { describeState } from '../model/state.js';

export function renderLive(live: LiveView | undefined): string[] {
  if (!live) return [];
  if (live.source === 'none') return [`_No live snapshot (${escape(live.reason)}): the file diff only, not what apply would do._`, ''];
  const lines: string[] = [];
  const job = live.jobUrl ? ` by [this job](${live.jobUrl})` : '';
  lines.push(`**Live now** — snapshot read ${age(live.ageMs)} ago (${live.readAt.replace('T', ' ').slice(0, 16)} UTC${live.commit ? `, at ${live.commit.slice(0, 8)}` : ''})${job}:`, '');
  if (live.operations.length === 0) lines.push('- apply would change nothing');
  for (const op of live.operations) {
    lines.push(
      op.action === 'delete'
        ? `- 🗑️ **delete** \`${op.flag}\` (live ${escape(describeState(op.live))}; ${op.why ?? 'delete'})`
        : `- ✏️ set \`${op.flag}\`: ${escape(describeState(op.live))} → ${escape(describeState(op.desired))}`,
    );
  }
  for (const p of live.pending) lines.push(`- ⏸️ \`${p.flag}\` held: ${escape(p.reasons.join('; '))}`);
  if (live.noChange.length > 0) lines.push(`- no change live: ${live.noChange.map((f) => `\`${f}\``).join(', ')} (already so; no gate needed)`);
  lines.push('');
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
