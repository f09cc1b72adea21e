/**
 * change-request: the flag repository's MR links an issue of `change_management.project` (full issue URL or
 * `group/project#123` in its description, or a related/closing issue) that is open, has every required
 * label and names the flag. `required: never` turns it off; `always` also checks rollbacks, as a warning
 * (rollbacks are never held).
 */
import { GitlabError } from '../errors/errors.js';
import type { GitlabPort, Issue, MergeRequest } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { gateFinding, noMemo, shortSha, requirePort } from './common.js';
import type { FlagChange, GateContext, Memo } from './types.js';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Pure: iids of `project`'s issues referenced in `text` as URLs on `baseUrl` or as `project#iid`. */
export function findIssueRefs(text: string, opts: { baseUrl: string; project: string }): number[] {
  const base = new URL(opts.baseUrl);
  const hostPath = `${base.host}${base.pathname.replace(/\/+$/, '')}`;
  const project = opts.project.replace(/^\/+|\/+$/g, '');
  const url = new RegExp(
    `https?://${escapeRe(hostPath)}/${escapeRe(project)}(?:/-)?/(?:issues|work_items)/(\\d+)(?!\\d)`,
    'gi',
  );
  const short = new RegExp(`(?<![\\w./-])${escapeRe(project)}#(\\d+)(?!\\d)`, 'gi');
  const iids = new Set<number>();
  for (const re of [url, short]) for (const m of text.matchAll(re)) iids.add(Number(m[1]));
  return [...iids];
}

/** Pure: what keeps an issue from approving a change of `flag` (empty: it approves it). */
export function issueProblems(
  issue: Pick<Issue, 'state' | 'labels' | 'title' | 'description'>,
  opts: { flag: string; labels: string[] },
): string[] {
  const problems: string[] = [];
  if (issue.state !== 'opened') problems.push('is closed');
  const have = new Set(issue.labels.map((l) => l.toLowerCase()));
  const missing = opts.labels.filter((l) => !have.has(l.toLowerCase()));
  if (missing.length > 0)
    problems.push(`lacks the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const named = new RegExp(`(?<![a-z0-9_])${escapeRe(opts.flag)}(?![a-z0-9_])`, 'i');
  if (!named.test(issue.title) && !named.test(issue.description ?? ''))
    problems.push(`does not mention ${opts.flag}`);
  return problems;
}

export async function changeRequestGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const cm = ctx.env.changeManagement;
  if (!cm || cm.required === 'never' || change.kind === 'none') return [];
  if (change.kind === 'rollback' && cm.required !== 'always') return [];
  const port = requirePort(ctx, 'change_management');
  const memo = ctx.memo ?? noMemo;
  const severity = change.kind === 'rollback' ? 'warning' : 'error';
  const fail = (code: string, message: string, hint?: string): Finding[] => [
    gateFinding(change, {
      code: `change-request/${code}`,
      severity,
      message: `${change.env}: ${message}`,
      ...(hint ? { hint } : {}),
    }),
  ];
  const todo =
    `Open an issue in ${cm.project} that names ${change.flag}` +
    (cm.labels.length > 0 ? `, has ${cm.labels.join(', ')}` : '') +
    `, and link it in the MR description (${cm.project}#<iid> or its URL).`;

  const found = await findMergeRequest(change, ctx, port, memo);
  if ('missing' in found) return fail('no-merge-request', found.missing, todo);
  const { mr } = found;
  const issues = await memo(`cr-issues:${mr.projectId}!${mr.iid}:${cm.project}`, () =>
    linkedIssues(port, mr, cm.project),
  );
  if (issues.length === 0) {
    return fail(
      'missing',
      `MR !${mr.iid} links no issue of ${cm.project}, which ${change.env} requires as a change request.`,
      todo,
    );
  }
  const checked = issues.map((i) => ({
    issue: i,
    problems:
      'unreadable' in i
        ? ['does not exist or cannot be read with the gitlab token']
        : issueProblems(i, { flag: change.flag, labels: cm.labels }),
  }));
  if (checked.some((c) => c.problems.length === 0)) return [];
  const lines = checked.map((c) => `${cm.project}#${c.issue.iid} ${joinProblems(c.problems)}`);
  return fail(
    'not-ready',
    `the change issue${lines.length > 1 ? 's' : ''} of MR !${mr.iid} cannot approve this change: ${lines.join('; ')}.`,
    `The change issue must be open${cm.labels.length > 0 ? `, labelled ${cm.labels.join(', ')}` : ''} and name ${change.flag} in its title or description.`,
  );
}

function joinProblems(p: string[]): string {
  return p.length <= 1 ? (p[0] ?? '') : `${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}`;
}

export type Found = { mr: MergeRequest } | { missing: string };

/** The flag repository's MR (also the production check's override label): the one under check, or (after merge) the merged MR that brought `commitSha`. */
export async function findMergeRequest(
  change: FlagChange,
  ctx: GateContext,
  port: GitlabPort,
  memo: Memo,
): Promise<Found> {
  if (ctx.mr) {
    const { project, iid } = ctx.mr;
    return { mr: await memo(`mr:${project}!${iid}`, () => port.getMergeRequest(project, iid)) };
  }
  if (ctx.flagProject === undefined || change.commitSha === undefined) {
    return {
      missing:
        'not running for a merge request (no CI_MERGE_REQUEST_IID / --mr, and no commit to look one up), so its change issue cannot be checked.',
    };
  }
  const { flagProject } = ctx;
  const sha = change.commitSha;
  const mrs = await memo(`commit-mrs:${flagProject}:${sha}`, () =>
    port.listCommitMergeRequests(flagProject, sha),
  );
  const merged = mrs.filter((m) => m.state === 'merged');
  const mr =
    merged.find((m) =>
      [m.landedSha, m.mergeCommitSha, m.squashCommitSha].some(
        (s) => s && s.toLowerCase() === sha.toLowerCase(),
      ),
    ) ?? merged[0];
  if (!mr)
    return {
      missing: `commit ${shortSha(sha)}, which last changed this flag, did not come from a merged merge request.`,
    };
  return { mr };
}

type Linked = Issue | { iid: number; unreadable: true };

async function linkedIssues(port: GitlabPort, mr: MergeRequest, project: string): Promise<Linked[]> {
  const byIid = new Map<number, Linked>();
  const related = await port.listMergeRequestIssues(mr.projectId, mr.iid);
  let projectId: number | undefined;
  for (const issue of related) {
    let ours = issue.projectPath !== undefined && issue.projectPath.toLowerCase() === project.toLowerCase();
    if (!ours && issue.projectPath === undefined) {
      projectId ??= (await port.getProject(project))?.id ?? -1;
      ours = issue.projectId === projectId;
    }
    if (ours) byIid.set(issue.iid, issue);
  }
  for (const iid of findIssueRefs(mr.description ?? '', { baseUrl: port.baseUrl, project })) {
    if (byIid.has(iid)) continue;
    try {
      byIid.set(iid, await port.getIssue(project, iid));
    } catch (err) {
      if (!(err instanceof GitlabError && err.kind === 'not-found')) throw err;
      byIid.set(iid, { iid, unreadable: true });
    }
  }
  return [...byIid.values()].sort((a, b) => a.iid - b.iid);
}
