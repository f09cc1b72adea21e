/**
 * The merge request behind each history entry (I/O): GitLab's commit → merge requests lookup
 * (`GET /projects/:id/repository/commits/:sha/merge_requests`) of the commit that changed the flag (else the applied
 * commit), once per distinct commit, a few at a time. Unverified entries are never looked up.
 */
import { GitlabError } from '../errors/errors.js';
import type { GitlabPort, MergeRequest, ProjectRef } from '../gitlab/port.js';
import type { FlagHistory, HistoryEntry, HistoryMergeRequest } from './types.js';

const AT_ONCE = 4;

export async function attachMergeRequests(args: { port: GitlabPort; project: ProjectRef; flags: FlagHistory[] }): Promise<void> {
  const entries = args.flags.flatMap((f) => f.environments.flatMap((e) => e.entries)).filter((e) => e.verified);
  const shas = [...new Set(entries.map(lookupSha).filter((s): s is string => s !== undefined))];
  const found = new Map<string, HistoryMergeRequest | undefined>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < shas.length) {
      const sha = shas[next++]!;
      found.set(sha, await mergeRequestOf(args.port, args.project, sha));
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, shas.length) }, worker));
  for (const e of entries) {
    const sha = lookupSha(e);
    const mr = sha === undefined ? undefined : found.get(sha);
    if (mr) e.mergeRequest = mr;
  }
}

function lookupSha(e: HistoryEntry): string | undefined {
  return e.change?.sha ?? e.record.sha;
}

/** The merged MR that landed `sha` (merge, squash or head commit), else any merged MR containing it. */
async function mergeRequestOf(port: GitlabPort, project: ProjectRef, sha: string): Promise<HistoryMergeRequest | undefined> {
  const mrs = await port.listCommitMergeRequests(project, sha).catch((error: unknown) => {
    if (error instanceof GitlabError && error.kind === 'not-found') return [] as MergeRequest[];
    throw error;
  });
  const merged = mrs.filter((m) => m.state === 'merged');
  const mr = merged.find((m) => m.landedSha === sha || m.mergeCommitSha === sha || m.squashCommitSha === sha) ?? merged[0];
  if (!mr) return undefined;
  return {
    iid: mr.iid,
    url: mr.webUrl,
    title: mr.title,
    ...(mr.author ? { author: mr.author } : {}),
    ...(mr.mergedBy ? { mergedBy: mr.mergedBy } : {}),
    ...(mr.mergedAt ? { mergedAt: mr.mergedAt } : {}),
  };
}
