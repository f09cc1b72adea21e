/**
 * flagops' own issues (the feature-flag log, cleanup issues): found by a hidden marker in the description **and** the
 * author being the user of flagops' token (`GET /user`), as its notes are (upsert-note.ts). GitLab is asked with
 * server-side filters — `author_id` of that user, the title search, labels when they are stable, every page — and
 * the answer is checked again here: an issue by anyone else is never trusted, whatever marker it copies.
 */
import type { GitlabPort, Issue, ProjectRef } from '../gitlab/port.js';

export interface OwnIssueQuery {
  /** The hidden marker the description must hold, e.g. `<!-- flagops:cleanup flag=x -->`. */
  marker: string;
  /** Text of the title (GitLab's `search` with `in=title`). */
  search: string;
  /** Search the description too (`in=title,description`): finds the issue by its marker's text after a rename. */
  inDescription?: boolean;
  /** Labels every candidate carries (ANDed by GitLab); only labels flagops always sets. */
  labels?: readonly string[];
}

/** Every issue of `project` written by the token's user that holds `marker`, lowest iid first (a race may make two). */
export async function findOwnIssues(port: GitlabPort, project: ProjectRef, query: OwnIssueQuery): Promise<Issue[]> {
  const me = await port.currentUser();
  const candidates = await port.listAuthoredIssues(project, {
    authorId: me.id,
    labels: query.labels ?? [],
    search: query.search,
    ...(query.inDescription ? { inDescription: true } : {}),
  });
  return candidates.filter((i) => i.authorId === me.id && i.description.includes(query.marker)).sort((a, b) => a.iid - b.iid);
}

/**
 * The issue of `project` written by the token's user that holds `marker`, open or closed; undefined if none. Should a
 * race have made two, the lowest iid: the one every later run keeps.
 */
export async function findOwnIssue(port: GitlabPort, project: ProjectRef, query: OwnIssueQuery): Promise<Issue | undefined> {
  return (await findOwnIssues(port, project, query))[0];
}
