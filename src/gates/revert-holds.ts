/**
 * The hold of a failed verification (DESIGN §6): until its revert merge request merges, drift holds any new rollout
 * of the reverted flags in that environment. The open revert merge requests are flagops' own — authored by its
 * token's user (filtered by `author_id` on the server, checked again here) and carrying the revert marker — so no one
 * can hold a rollout by opening a look-alike. One request per environment with `verify:`, per run.
 */
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import { parseRevertMarker } from './revert-marker.js';

export interface RevertHold {
  iid: number;
  webUrl: string;
}

export async function openRevertHolds(port: GitlabPort, project: ProjectRef, env: string): Promise<Map<string, RevertHold>> {
  const me = await port.currentUser();
  const mrs = await port.listMergeRequests(project, { state: 'opened', authorId: me.id });
  const holds = new Map<string, RevertHold>();
  for (const mr of mrs) {
    const marker = mr.authorId === me.id ? parseRevertMarker(mr.description) : undefined;
    if (marker?.env !== env) continue;
    for (const flag of marker.flags) if (!holds.has(flag)) holds.set(flag, { iid: mr.iid, webUrl: mr.webUrl });
  }
  return holds;
}
