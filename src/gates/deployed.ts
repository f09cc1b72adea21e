/**
 * deployed: the `introduced_by_url` MR is merged and the commit that landed (squash or merge commit) is an
 * ancestor of the last successful deployment of the environment's `deployment.environment`.
 */
import { GitlabError } from '../errors/errors.js';
import type { Deployment, GitlabPort, MergeRequest } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { formatUtc } from '../util/duration.js';
import { gateFinding, noMemo, shortSha, requirePort } from './common.js';
import type { FlagChange, GateContext } from './types.js';

export type MergeRequestUrl = { project: string; iid: number } | { error: string };

/**
 * Pure: `https://host[/prefix]/group/sub/project/-/merge_requests/123[/diffs][#note]` → project path and iid.
 * The URL must be on the GitLab at `baseUrl` (same host and path prefix).
 */
export function parseMergeRequestUrl(url: string, baseUrl: string): MergeRequestUrl {
  let u: URL;
  let base: URL;
  try {
    u = new URL(url);
    base = new URL(baseUrl);
  } catch {
    return { error: `"${url}" is not a URL` };
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  if (u.host.toLowerCase() !== base.host.toLowerCase() || !u.pathname.startsWith(`${prefix}/`)) {
    return { error: `${url} is not on ${base.host}${prefix}, the GitLab flagops checks deployments on` };
  }
  const rest = decodeURIComponent(u.pathname.slice(prefix.length));
  const m = /^\/([^/].*?)(?:\/-)?\/merge_requests\/(\d+)(?:\/.*)?$/.exec(rest);
  if (!m) {
    const what = /\/(issues|work_items)\/\d+/.test(rest) ? 'an issue' : 'not a merge request';
    return { error: `${url} is ${what}; introduced_by_url must be the merge request that added the code` };
  }
  return { project: m[1] as string, iid: Number(m[2]) };
}

export async function deployedGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const dep = ctx.env.deployment;
  if (!dep || change.kind !== 'rollout') return [];
  const port = requirePort(ctx, 'the deployed gate');
  const memo = ctx.memo ?? noMemo;
  const where = `${dep.environment}`;
  const fail = (code: string, message: string, hint?: string): Finding[] => [
    gateFinding(change, {
      code: `deployed/${code}`,
      message: `${change.env}: ${message}`,
      ...(hint ? { hint } : {}),
    }),
  ];

  if (!change.introducedByUrl) {
    return fail(
      'no-introduced-by-url',
      `the flag has no introduced_by_url, so flagops cannot tell whether its code is deployed to ${where}.`,
      `Add introduced_by_url: ${port.baseUrl.replace(/\/+$/, '')}/<group>/<project>/-/merge_requests/<iid> (the MR that added the code behind the flag).`,
    );
  }
  const ref = parseMergeRequestUrl(change.introducedByUrl, port.baseUrl);
  if ('error' in ref)
    return fail(
      'invalid-url',
      `introduced_by_url: ${ref.error}.`,
      'Point it at the merge request that added the code behind the flag.',
    );

  const mr = await memo(`mr:${ref.project}!${ref.iid}`, () =>
    getMergeRequestOrNull(port, ref.project, ref.iid),
  );
  if (!mr) {
    return fail(
      'mr-not-found',
      `introduced_by_url points to ${ref.project}!${ref.iid}, which does not exist or cannot be read with the gitlab token.`,
      'Fix introduced_by_url, or give the token read access to that project.',
    );
  }
  const project = dep.project ?? ref.project;
  const mrName =
    dep.project && dep.project.toLowerCase() !== ref.project.toLowerCase()
      ? `MR ${ref.project}!${ref.iid}`
      : `MR !${ref.iid}`;
  if (mr.state !== 'merged') {
    const state = mr.state === 'closed' ? 'was closed without being merged' : 'is not merged yet';
    return fail(
      'not-merged',
      `${mrName} (introduced_by_url) ${state}, so its code cannot be deployed to ${where}.`,
      mr.state === 'closed'
        ? 'Point introduced_by_url at the merge request that did merge the code.'
        : 'Merge it and wait for its deployment; the scheduled apply enables the flag once deployed.',
    );
  }
  const landed = mr.landedSha;
  if (!landed) {
    return fail(
      'no-landed-commit',
      `${mrName} is merged but GitLab reports no merge or squash commit for it, so flagops cannot tell whether it is deployed to ${where}.`,
      'Check the merge request in GitLab; a fast-forward merge without squash has no merge commit.',
    );
  }
  const what = `${mr.squashCommitSha && mr.squashCommitSha === landed ? 'squash' : 'merge'} commit ${shortSha(landed)}`;

  const deployment = await memo(`deploy:${project}:${dep.environment}`, () =>
    port.lastSuccessfulDeployment(project, dep.environment),
  );
  if (!deployment) {
    return fail(
      'no-deployment',
      `${dep.environment} of ${project} has no successful deployment yet, so ${mrName} (${what}) is not deployed there.`,
      'Wait for a deployment, or merge now and the scheduled apply enables it once deployed. Check deployment.environment in flagops.yml if this is unexpected.',
    );
  }
  const base = await memo(`merge-base:${project}:${landed}:${deployment.sha}`, () =>
    mergeBaseOrNull(port, project, landed, deployment.sha),
  );
  if (base !== null && base.toLowerCase() === landed.toLowerCase()) return [];
  return fail(
    'not-deployed',
    `${mrName} (${what}) is not yet deployed to ${dep.environment} (last successful deployment ${describeDeployment(deployment)}). ` +
      'Wait, or merge now and the scheduled apply enables it once deployed.',
  );
}

function describeDeployment(d: Deployment): string {
  const at = d.finishedAt ?? d.createdAt;
  const date = new Date(at);
  return `${shortSha(d.sha)}${Number.isNaN(date.getTime()) ? '' : ` at ${formatUtc(date)}`}`;
}

async function getMergeRequestOrNull(
  port: GitlabPort,
  project: string,
  iid: number,
): Promise<MergeRequest | null> {
  try {
    return await port.getMergeRequest(project, iid);
  } catch (err) {
    if (err instanceof GitlabError && err.kind === 'not-found') return null;
    throw err;
  }
}

/**
 * GitLab answers 400 `Could not find ref: <sha>` when the deployment project does not know the commit
 * (e.g. a mirror not yet synced): then it is not deployed there either.
 */
async function mergeBaseOrNull(
  port: GitlabPort,
  project: string,
  a: string,
  b: string,
): Promise<string | null> {
  try {
    return await port.mergeBase(project, [a, b]);
  } catch (err) {
    if (err instanceof GitlabError && err.kind === 'invalid-request') return null;
    throw err;
  }
}
