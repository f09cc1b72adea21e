/**
 * Pure: the cleanup issue of a flag that hygiene found due — its title (the seeds' "[Feature flag] Cleanup NAME"),
 * its hidden marker and its description: why it is due, then the checklist of what is left (code references,
 * definition file, deletion, closing). The part flagops writes lies between the marker and an end marker; on a
 * re-render, boxes a person ticked stay ticked and anything written outside that part is kept, so the text only
 * changes when the facts do.
 */
import type { Finding } from '../model/finding.js';

export const cleanupTitle = (flag: string): string => `[Feature flag] Cleanup ${flag}`;
export const cleanupMarker = (flag: string): string => `<!-- flagops:cleanup flag=${flag} -->`;
export const CLEANUP_END = '<!-- flagops:cleanup:end -->';

export interface CleanupFacts {
  flag: string;
  /** The flag file, relative to flagops.yml. */
  file: string;
  /** The hygiene findings (warnings) that make the flag due. */
  reasons: readonly Pick<Finding, 'code' | 'message' | 'hint'>[];
  /** Environments of flagops.yml, in promotion order. */
  envs: readonly string[];
  type?: string;
  rolloutIssueUrl?: string;
  /** The code project (from introduced_by_url) and, when its id is known, a link to a code search of the name. */
  code?: { project: string; searchUrl?: string };
  /** Web address of the flag repository (CI_PROJECT_URL), where `flagops delete` is run. */
  flagRepoUrl?: string;
}

/** `zentao_issues_integration` → `zentaoIssuesIntegration`: how frontend code reads the flag (`gon.features`). */
export function camelName(flag: string): string {
  return flag.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function checklist(f: CleanupFacts): string[] {
  const names = camelName(f.flag) === f.flag ? f.flag : `${f.flag}|${camelName(f.flag)}`;
  const where = f.code ? ` of \`${f.code.project}\`` : '';
  const search = f.code?.searchUrl ? ` ([code search](${f.code.searchUrl}))` : '';
  const envs = f.envs.join(', ');
  const repo = f.flagRepoUrl ? `the flag repository (${f.flagRepoUrl})` : 'the flag repository';
  const items: string[] = [];
  if (!f.rolloutIssueUrl) items.push(`Open a rollout issue for the flag and set \`rollout_issue_url\` in \`${f.file}\``);
  items.push(
    `Remove every reference to the flag from the code${where}: \`git grep -nwE '${names}'\`${search}; keep the code path that stays`,
    `Remove the flag's YAML definition from the code${where} (\`config/feature_flags/${f.type ?? '<type>'}/${f.flag}.yml\` in GitLab's layout) in the same merge request`,
    `Merge that merge request and make sure it is deployed to every environment (${envs})`,
    `Delete the flag everywhere: in ${repo}, run \`flagops delete ${f.flag}\`, commit and open a merge request; once it is merged, the apply jobs delete the flag in ${envs}`,
    `Then delete the flag file \`${f.file}\` in a merge request`,
    `Close the rollout issue${f.rolloutIssueUrl ? ` (${f.rolloutIssueUrl})` : ''} and this issue`,
  );
  return items;
}

/** Checklist lines of `description` ticked by someone (`- [x] text` → text). */
function tickedItems(description: string): Set<string> {
  const out = new Set<string>();
  for (const line of description.split(/\r?\n/)) {
    const m = /^\s*[-*] \[[xX]\] (.*)$/.exec(line);
    if (m) out.add(m[1]!.trim());
  }
  return out;
}

/** The description: flagops' part (between the markers) rendered from `facts`, the rest of `previous` kept. */
export function renderCleanupBody(facts: CleanupFacts, previous?: string): string {
  const marker = cleanupMarker(facts.flag);
  const ticked = previous ? tickedItems(previous) : new Set<string>();
  const lines = [
    marker,
    `flagops hygiene found \`${facts.flag}\` due for cleanup${facts.rolloutIssueUrl ? `; its rollout issue is ${facts.rolloutIssueUrl}` : ''}.`,
    '',
    '### Why',
    '',
  ];
  for (const r of facts.reasons) {
    lines.push(`- **${r.code.replace(/^hygiene\//, '')}**: ${r.message}`);
    if (r.hint) lines.push(`  Next step: ${r.hint}`);
  }
  lines.push('', '### Remaining steps', '');
  for (const item of checklist(facts)) lines.push(`- [${ticked.has(item) ? 'x' : ' '}] ${item}`);
  lines.push(
    '',
    `<sub>Written by \`flagops hygiene --open-issues\`, which edits this text when the facts change; ticked boxes and anything written below this line are kept.</sub>`,
    CLEANUP_END,
  );
  const own = lines.join('\n');
  if (previous === undefined) return `${own}\n`;
  const start = previous.indexOf(marker);
  const end = previous.indexOf(CLEANUP_END, Math.max(start, 0));
  const before = start > 0 ? previous.slice(0, start) : '';
  const after = start >= 0 && end >= 0 ? previous.slice(end + CLEANUP_END.length) : '\n';
  return `${before}${own}${after.trim() === '' ? '\n' : after}`;
}
