/**
 * production-check: ChatOps' production check for `production_check.project` (DESIGN §4). A rollout is held while
 * that project has an open issue labelled `incident` with `severity::1` or `severity::2`, an open issue labelled
 * `blocks feature-flags`, or an open change labelled `change::in-progress` with `C1` or `C2`. GitLab ANDs the
 * labels of one issues request, so each OR-ed label set is its own request (paginated, filtered by the server).
 * The merge request label `flagops::ignore-production-check` (ChatOps' `--ignore-production-check`) turns the hold
 * into a warning. Rollbacks are never held (run-gates skips this gate for them).
 */
import type { Issue } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { findMergeRequest } from './change-request.js';
import { gateFinding, noMemo, requirePort } from './common.js';
import type { FlagChange, GateContext } from './types.js';

export const IGNORE_PRODUCTION_CHECK_LABEL = 'flagops::ignore-production-check';

/** Each set is ANDed; the sets are ORed. */
export const BLOCKING_LABEL_SETS: readonly { labels: readonly string[]; why: string }[] = [
  { labels: ['incident', 'severity::1'], why: 'severity 1 incident' },
  { labels: ['incident', 'severity::2'], why: 'severity 2 incident' },
  { labels: ['blocks feature-flags'], why: 'blocks feature flags' },
  { labels: ['change::in-progress', 'C1'], why: 'C1 change in progress' },
  { labels: ['change::in-progress', 'C2'], why: 'C2 change in progress' },
];

export interface BlockingIssue {
  issue: Issue;
  why: string[];
}

/** Pure: the blocking issues of the per-set listings, once each (by iid), in iid order, open ones only. */
export function blockingIssues(lists: readonly { why: string; issues: readonly Issue[] }[]): BlockingIssue[] {
  const byIid = new Map<number, BlockingIssue>();
  for (const { why, issues } of lists) {
    for (const issue of issues) {
      if (issue.state !== 'opened') continue;
      const hit = byIid.get(issue.iid) ?? { issue, why: [] };
      if (!hit.why.includes(why)) hit.why.push(why);
      byIid.set(issue.iid, hit);
    }
  }
  return [...byIid.values()].sort((a, b) => a.issue.iid - b.issue.iid);
}

export async function productionCheckGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const pc = ctx.env.productionCheck;
  if (!pc || change.kind !== 'rollout') return [];
  const port = requirePort(ctx, 'the production check');
  const memo = ctx.memo ?? noMemo;
  const lists = await Promise.all(
    BLOCKING_LABEL_SETS.map(async (set) => ({
      why: set.why,
      issues: await memo(`open-issues:${pc.project}:${set.labels.join(',')}`, () =>
        port.listOpenIssues(pc.project, set.labels),
      ),
    })),
  );
  const blocking = blockingIssues(lists);
  if (blocking.length === 0) return [];
  const found = await findMergeRequest(change, ctx, port, memo);
  const overridden =
    'mr' in found && found.mr.labels.some((l) => l.toLowerCase() === IGNORE_PRODUCTION_CHECK_LABEL);
  const list = blocking.map((b) => `${pc.project}#${b.issue.iid} (${b.why.join(', ')}) ${b.issue.webUrl}`).join('; ');
  const what = `${change.env}: the production check of ${pc.project} fails: ${list}.`;
  if (overridden && 'mr' in found) {
    return [
      gateFinding(change, {
        code: 'production-check/overridden',
        severity: 'warning',
        message: `${what} MR !${found.mr.iid} is labelled ${IGNORE_PRODUCTION_CHECK_LABEL}, so the change goes ahead.`,
      }),
    ];
  }
  return [
    gateFinding(change, {
      code: 'production-check/blocked',
      message: `${what} Wait until ${blocking.length > 1 ? 'they are' : 'it is'} closed or the label removed; rollbacks are not held.`,
      hint: `Or merge now: the scheduled apply rolls it out once the check passes. To override, label the merge request ${IGNORE_PRODUCTION_CHECK_LABEL}.`,
    }),
  ];
}
