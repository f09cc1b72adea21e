/**
 * `flagops hygiene --open-issues` (I/O): one cleanup issue per flag hygiene found due, in the project of its rollout
 * issue (or `hygiene.cleanup_issues.project`), linked to the rollout issue and carrying its labels. A later run
 * finds the issue again by its marker and its author (flagops' own user; own-issue.ts), edits it only when the
 * rendered text or the labels it must carry differ, adds the link only when it is missing, never opens a second
 * one, and never closes or reopens anything: an issue someone closed stays closed. With `dryRun`, it only reads.
 */
import { findOwnIssue } from '../announce/own-issue.js';
import { parseIssueUrl } from '../announce/announce.js';
import { GitlabError } from '../errors/errors.js';
import { parseMergeRequestUrl } from '../gates/deployed.js';
import type { GitlabPort, Issue, IssueChange, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { cleanupMarker, cleanupTitle, renderCleanupBody, type CleanupFacts } from './cleanup-body.js';
import type { FlagFacts } from './judge.js';
import type { HygieneSettings } from './settings.js';

export type CleanupAction = 'created' | 'updated' | 'unchanged' | 'closed';

export interface CleanupIssue {
  flag: string;
  /** What was done (with `dryRun`: what would be done); `closed`: someone closed it, left alone. */
  action: CleanupAction;
  project: ProjectRef;
  iid?: number;
  web_url?: string;
  labels_added: string[];
  /** The link to the rollout issue: made now, there already, or none (no rollout issue on this GitLab). */
  link: 'created' | 'exists' | 'none';
}

export interface CleanupOptions {
  port: GitlabPort;
  flags: readonly FlagFacts[];
  /** hygiene's findings; the flags with a warning are due. */
  findings: readonly Finding[];
  settings: HygieneSettings;
  envs: readonly string[];
  dryRun: boolean;
  flagRepoUrl?: string;
}

const CODE = 'hygiene/cleanup-issue';

export async function openCleanupIssues(options: CleanupOptions): Promise<{ issues: CleanupIssue[]; findings: Finding[] }> {
  const issues: CleanupIssue[] = [];
  const findings: Finding[] = [];
  for (const facts of options.flags) {
    const reasons = options.findings.filter((f) => f.flag === facts.flag && f.severity === 'warning' && f.code.startsWith('hygiene/'));
    if (reasons.length === 0) continue;
    try {
      const done = await cleanupOne(options, facts, reasons, findings);
      if (done) issues.push(done);
    } catch (error) {
      if (error instanceof GitlabError && error.kind === 'auth') throw error;
      findings.push({ code: CODE, severity: 'error', flag: facts.flag, file: facts.file, message: `the cleanup issue of ${facts.flag}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { issues, findings };
}

async function cleanupOne(options: CleanupOptions, facts: FlagFacts, reasons: Finding[], findings: Finding[]): Promise<CleanupIssue | undefined> {
  const { port, settings } = options;
  const note = (message: string, hint: string): void => void findings.push({ code: CODE, severity: 'warning', flag: facts.flag, file: facts.file, message, hint });
  const rollout = await rolloutIssue(port, facts, note);
  const project = settings.cleanupIssues.project ?? rollout?.projectPath ?? rollout?.projectId;
  if (project === undefined) {
    note(`${facts.flag} is due for cleanup, but has no rollout issue on ${port.baseUrl} to put its cleanup issue next to`, 'Set rollout_issue_url in the flag file, or hygiene.cleanup_issues.project in flagops.yml.');
    return undefined;
  }
  const body: CleanupFacts = {
    flag: facts.flag,
    file: facts.file,
    reasons,
    envs: options.envs,
    ...(facts.type ? { type: facts.type } : {}),
    ...(facts.rolloutIssueUrl ? { rolloutIssueUrl: facts.rolloutIssueUrl } : {}),
    ...(options.flagRepoUrl ? { flagRepoUrl: options.flagRepoUrl } : {}),
    ...(await codeProject(port, facts)),
  };
  const labels = [...new Set([...(rollout?.labels ?? []), ...settings.cleanupIssues.labels])].filter((l) => !l.includes(','));
  // labels follow the rollout issue and may change, so they are no search key: the author and the flag's name are,
  // in the title or in the marker of the description (a person may rename the issue)
  const existing = await findOwnIssue(port, project, { marker: cleanupMarker(facts.flag), search: facts.flag, inDescription: true });
  const base = { flag: facts.flag, project };
  if (!existing) {
    if (options.dryRun) return { ...base, action: 'created', labels_added: labels, link: rollout ? 'created' : 'none' };
    const made = await port.createIssue(project, { title: cleanupTitle(facts.flag), description: renderCleanupBody(body), labels });
    if (rollout) await port.linkIssue(project, made.iid, { project: rollout.projectId, iid: rollout.iid });
    return { ...base, action: 'created', iid: made.iid, web_url: made.webUrl, labels_added: labels, link: rollout ? 'created' : 'none' };
  }
  const found = { ...base, iid: existing.iid, web_url: existing.webUrl };
  if (existing.state === 'closed') return { ...found, action: 'closed', labels_added: [], link: 'none' };
  const change: IssueChange = {};
  const description = renderCleanupBody(body, existing.description);
  if (description.trim() !== existing.description.trim()) change.description = description;
  const missing = labels.filter((l) => !existing.labels.includes(l));
  if (missing.length > 0) change.addLabels = missing;
  const edit = change.description !== undefined || missing.length > 0;
  if (edit && !options.dryRun) await port.updateIssue(project, existing.iid, change);
  const link = rollout ? await ensureLink(port, project, existing, rollout, options.dryRun) : 'none';
  return { ...found, action: edit ? 'updated' : 'unchanged', labels_added: missing, link };
}

/** The flag's rollout issue, when its URL is an issue of this GitLab that exists; else a warning says why not. */
async function rolloutIssue(port: GitlabPort, facts: FlagFacts, note: (message: string, hint: string) => void): Promise<Issue | undefined> {
  if (!facts.rolloutIssueUrl) return undefined;
  const ref = parseIssueUrl(facts.rolloutIssueUrl, port.baseUrl);
  if (!ref) {
    note(`rollout_issue_url ${facts.rolloutIssueUrl} is not an issue of ${port.baseUrl}: the cleanup issue is not linked to it and copies no labels`, 'Use the URL of the rollout issue on this GitLab.');
    return undefined;
  }
  try {
    return await port.getIssue(ref.project, ref.iid);
  } catch (error) {
    if (!(error instanceof GitlabError && error.kind === 'not-found')) throw error;
    note(`the rollout issue ${facts.rolloutIssueUrl} does not exist or the token cannot see it`, 'Fix rollout_issue_url, or give the token Reporter access to that project.');
    return undefined;
  }
}

/** The code project of introduced_by_url and a code search of the flag's name in it (by project id). */
async function codeProject(port: GitlabPort, facts: FlagFacts): Promise<Pick<CleanupFacts, 'code'>> {
  if (!facts.introducedByUrl) return {};
  const mr = parseMergeRequestUrl(facts.introducedByUrl, port.baseUrl);
  if ('error' in mr) return {};
  const info = await port.getProject(mr.project);
  if (!info) return { code: { project: mr.project } };
  const searchUrl = `${port.baseUrl}/search?search=${encodeURIComponent(facts.flag)}&scope=blobs&project_id=${info.id}`;
  return { code: { project: info.pathWithNamespace, searchUrl } };
}

async function ensureLink(port: GitlabPort, project: ProjectRef, issue: Issue, rollout: Issue, dryRun: boolean): Promise<'created' | 'exists'> {
  const links = await port.listIssueLinks(project, issue.iid);
  if (links.some((l) => l.projectId === rollout.projectId && l.iid === rollout.iid)) return 'exists';
  if (!dryRun) await port.linkIssue(project, issue.iid, { project: rollout.projectId, iid: rollout.iid });
  return 'created';
}
