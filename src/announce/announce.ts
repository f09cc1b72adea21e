/**
 * Announcements after apply (the seeds' "post the result in the issue"): one note on the merge request that made the
 * change, one on the flag's rollout issue and one on its change issue — each edited in place as environments
 * converge, never repeated. Each note carries its data in a hidden comment, so the next environment's job (another
 * process) adds its row instead of starting over.
 */
import { GitlabError } from '../errors/errors.js';
import { findIssueRefs } from '../gates/change-request.js';
import type { GitlabPort, NoteTarget, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { describeState, type MaybeState } from '../model/state.js';
import { findOwnNote, markerFor } from './upsert-note.js';
import { own } from '../util/own.js';

export interface AppliedFlag {
  flag: string;
  env: string;
  before: MaybeState;
  after: MaybeState;
  /** The flag repository's commit that last changed the flag file (to find its merge request). */
  commitSha?: string;
  rolloutIssueUrl?: string;
}

export interface AnnounceOptions {
  port: GitlabPort;
  flagProject: ProjectRef;
  applied: readonly AppliedFlag[];
  now: Date;
  pipelineUrl?: string;
  /** change_management.project of each environment, to find change issues linked from the MR. */
  changeProjects: Record<string, string | undefined>;
}

interface Row {
  flag: string;
  env: string;
  state: string;
  at: string;
  pipeline?: string;
}

/** Posts or updates the notes; problems come back as warnings (announcing never fails an apply). */
export async function announce(options: AnnounceOptions): Promise<Finding[]> {
  const { port } = options;
  const findings: Finding[] = [];
  const notes = new Map<string, { target: NoteTarget; purpose: string; title: string; rows: Row[] }>();
  const add = (key: string, target: NoteTarget, purpose: string, title: string, row: Row): void => {
    const entry = notes.get(key) ?? { target, purpose, title, rows: [] };
    entry.rows.push(row);
    notes.set(key, entry);
  };
  for (const a of options.applied) {
    const row: Row = { flag: a.flag, env: a.env, state: describeState(a.after), at: options.now.toISOString(), ...(options.pipelineUrl ? { pipeline: options.pipelineUrl } : {}) };
    try {
      const issue = a.rolloutIssueUrl ? parseIssueUrl(a.rolloutIssueUrl, port.baseUrl) : undefined;
      if (issue) add(`issue:${issue.project}#${issue.iid}:${a.flag}`, { kind: 'issue', ...issue }, `applied:${a.flag}`, `flagops: \`${a.flag}\` rollout`, row);
      if (!a.commitSha) continue;
      // a commit GitLab does not know (pushed elsewhere, or not yet) came from no merge request
      const mrs = await port.listCommitMergeRequests(options.flagProject, a.commitSha).catch((error: unknown) => {
        if (error instanceof GitlabError && error.kind === 'not-found') return [];
        throw error;
      });
      const mr = mrs.find((m) => m.state === 'merged' && [m.landedSha, m.mergeCommitSha, m.squashCommitSha].includes(a.commitSha!)) ?? mrs.find((m) => m.state === 'merged');
      if (!mr) continue;
      add(`mr:${mr.projectId}!${mr.iid}`, { kind: 'merge_request', project: mr.projectId, iid: mr.iid }, 'applied', 'flagops: applied', row);
      const changeProject = own(options.changeProjects, a.env);
      if (changeProject) {
        for (const iid of findIssueRefs(mr.description, { baseUrl: port.baseUrl, project: changeProject })) {
          add(`issue:${changeProject}#${iid}:${a.flag}`, { kind: 'issue', project: changeProject, iid }, `applied:${a.flag}`, `flagops: \`${a.flag}\` change`, row);
        }
      }
    } catch (error) {
      findings.push(warning(a, error));
    }
  }
  for (const note of notes.values()) {
    try {
      await upsertLedger({ port, ...note });
    } catch (error) {
      findings.push({ code: 'announce', severity: 'warning', message: `could not announce on ${describeTarget(note.target)}: ${messageOf(error)}` });
    }
  }
  return findings;
}

const DATA = /<!-- flagops:data ([A-Za-z0-9+/=]+) -->/;

async function upsertLedger(args: { port: GitlabPort; target: NoteTarget; purpose: string; title: string; rows: Row[] }): Promise<void> {
  const marker = markerFor(args.purpose);
  // rows are trusted only from flagops' own note: a forged one (copied marker, other author) is left alone
  const existing = await findOwnNote(args.port, args.target, marker);
  const previous = existing ? readRows(existing.body) : [];
  const merged = new Map(previous.map((r) => [`${r.flag}\u0000${r.env}`, r]));
  for (const r of args.rows) merged.set(`${r.flag}\u0000${r.env}`, r);
  const rows = [...merged.values()].sort((a, b) => a.flag.localeCompare(b.flag) || a.at.localeCompare(b.at));
  const body = render(marker, args.title, rows);
  if (!existing) await args.port.createNote(args.target, body);
  else if (existing.body.trim() !== body.trim()) await args.port.editNote(args.target, existing.id, body);
}

function readRows(body: string): Row[] {
  const m = DATA.exec(body);
  if (!m) return [];
  try {
    const rows = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as unknown;
    return Array.isArray(rows) ? rows.filter((r): r is Row => typeof r?.flag === 'string' && typeof r?.env === 'string') : [];
  } catch {
    return [];
  }
}

function render(marker: string, title: string, rows: readonly Row[]): string {
  const lines = [marker, `#### ${title}`, '', '| flag | environment | now | applied at | pipeline |', '|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(`| \`${r.flag}\` | ${r.env} | ${r.state.replace(/\|/g, '\\|')} | ${r.at.replace('T', ' ').slice(0, 16)} UTC | ${r.pipeline ? `[pipeline](${r.pipeline})` : ''} |`);
  }
  lines.push('', `<!-- flagops:data ${Buffer.from(JSON.stringify(rows)).toString('base64')} -->`);
  return `${lines.join('\n')}\n`;
}

export function parseIssueUrl(url: string, baseUrl: string): { project: string; iid: number } | undefined {
  try {
    const u = new URL(url);
    const base = new URL(baseUrl);
    if (u.host !== base.host) return undefined;
    const m = /^\/(.+?)\/(?:-\/)?(?:issues|work_items)\/(\d+)\/?$/.exec(u.pathname.slice(base.pathname.replace(/\/+$/, '').length));
    return m ? { project: decodeURIComponent(m[1]!), iid: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}

function describeTarget(t: NoteTarget): string {
  return t.kind === 'issue' ? `issue ${String(t.project)}#${t.iid}` : `merge request ${String(t.project)}!${t.iid}`;
}

function warning(a: AppliedFlag, error: unknown): Finding {
  return { code: 'announce', severity: 'warning', flag: a.flag, env: a.env, message: `could not find where to announce ${a.flag}: ${messageOf(error)}` };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
