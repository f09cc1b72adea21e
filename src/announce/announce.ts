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
import { findOwnNotes, markerFor } from './upsert-note.js';
import { own } from '../util/own.js';

export interface AppliedFlag {
  flag: string;
  env: string;
  before: MaybeState;
  after: MaybeState;
  /** The flag repository's commit that last changed the flag file (to find its merge request). */
  commitSha?: string;
  rolloutIssueUrl?: string;
  /** For an instance of a ring (`env` is the ring's name): one row per ring lists its instances' progress. */
  ring?: { instance: string; instances: readonly string[] };
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

export interface Row {
  flag: string;
  env: string;
  state: string;
  at: string;
  pipeline?: string;
  /** A ring's instance: the note keeps one datum per instance and shows one row per ring. */
  instance?: string;
  instances?: string[];
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
    const row: Row = {
      flag: a.flag,
      env: a.env,
      state: describeState(a.after),
      at: options.now.toISOString(),
      ...(options.pipelineUrl ? { pipeline: options.pipelineUrl } : {}),
      ...(a.ring ? { instance: a.ring.instance, instances: [...a.ring.instances] } : {}),
    };
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

const ROUNDS = 4;

/**
 * Merges `rows` into the target's ledger note, by (flag, environment, instance). Instance jobs of a ring run at once,
 * so the note is read again before each edit and after it, and written again until it holds this job's rows (a
 * concurrent edit that dropped them is redone); when two jobs both created the note, the lowest id keeps every row
 * and the other is emptied to a pointer.
 */
async function upsertLedger(args: { port: GitlabPort; target: NoteTarget; purpose: string; title: string; rows: Row[] }): Promise<void> {
  const marker = markerFor(args.purpose);
  for (let round = 0; round < ROUNDS; round++) {
    // rows are trusted only from flagops' own notes: a forged one (copied marker, other author) is left alone
    const [keeper, ...extra] = await findOwnNotes(args.port, args.target, marker);
    const previous = [keeper, ...extra].flatMap((n) => (n ? readRows(n.body) : []));
    const merged = new Map(previous.map((r) => [rowKey(r), r]));
    for (const r of args.rows) merged.set(rowKey(r), r);
    const rows = [...merged.values()].sort((a, b) => a.flag.localeCompare(b.flag) || a.at.localeCompare(b.at));
    const body = render(marker, args.title, rows);
    const held = keeper !== undefined && args.rows.every((r) => readRows(keeper.body).some((k) => rowKey(k) === rowKey(r) && k.at === r.at && k.state === r.state));
    if (held && extra.length === 0) return;
    if (!keeper) await args.port.createNote(args.target, body);
    else if (keeper.body.trim() !== body.trim()) await args.port.editNote(args.target, keeper.id, body);
    for (const n of extra) await args.port.editNote(args.target, n.id, `flagops: merged into note ${keeper!.id} (two jobs wrote at once).\n`);
    if (!keeper && round === 0 && args.rows.every((r) => !r.instance)) return;
  }
  throw new Error(`the note still lacks this job's rows after ${ROUNDS} edits (other jobs kept editing it)`);
}

function rowKey(r: Row): string {
  return `${r.flag}\u0000${r.env}\u0000${r.instance ?? ''}`;
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
  for (const r of displayRows(rows)) {
    lines.push(`| \`${r.flag}\` | ${r.env} | ${r.state.replace(/\|/g, '\\|')} | ${r.at.replace('T', ' ').slice(0, 16)} UTC | ${r.pipeline ? `[pipeline](${r.pipeline})` : ''} |`);
  }
  lines.push('', `<!-- flagops:data ${Buffer.from(JSON.stringify(rows)).toString('base64')} -->`);
  return `${lines.join('\n')}\n`;
}

/**
 * Pure: one row per flag and environment; a ring's instances fold into its one row, which says how many hold the
 * state its latest instance applied and which are pending (`ring1: 3 of 5 instances applied; cell-4, cell-5 pending`).
 */
export function displayRows(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  const rings = new Map<string, Row[]>();
  for (const r of rows) {
    if (!r.instance) out.push(r);
    else {
      const key = `${r.flag}\u0000${r.env}`;
      if (!rings.has(key)) out.push(r); // placeholder, replaced below
      rings.set(key, [...(rings.get(key) ?? []), r]);
    }
  }
  return out.map((r) => {
    if (!r.instance) return r;
    const group = rings.get(`${r.flag}\u0000${r.env}`)!;
    const latest = group.reduce((a, b) => (b.at > a.at ? b : a));
    const holding = new Set(group.filter((g) => g.state === latest.state).map((g) => g.instance!));
    const all = latest.instances?.length ? latest.instances : [...holding];
    const pending = all.filter((i) => !holding.has(i));
    const progress = `${all.filter((i) => holding.has(i)).length} of ${all.length} instances applied${pending.length ? `; ${pending.join(', ')} pending` : ''}`;
    return { ...latest, env: `${latest.env}: ${progress}` };
  });
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
