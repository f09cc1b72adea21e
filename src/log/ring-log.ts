/**
 * The feature-flag log of a ring (README "Rings"): one issue per applied change of a flag in the ring — per (flag,
 * ring, commit, new state), whatever the number of instances. Each instance job runs on its own (possibly at the same
 * time as the others): the first to apply opens the issue, the later ones find it (same marker, same own-author
 * lookup) and add their instance to its list, editing the description only when the list changes.
 *
 * Concurrency. GitLab has no compare-and-set on a description, so two jobs editing it at once could drop each other's
 * instance. The list is therefore derived: each instance job first adds one short note of its own to the issue
 * (`applied to ring1/cell-2: off → on`, found again by its marker, so a re-run adds none) — notes are only ever
 * added, never lost — and then sets the description's list to the instances of flagops' notes, reading the notes
 * again after each write until they match what it wrote. Whichever write lands last was made by a job that read
 * every note added before its final read, and a note added later is added by a job that reads the description after
 * that write and writes again if it lacks the note; so the last description lists every instance.
 *
 * Two jobs both finding no issue both create one. After creating, a job lists again; the lowest iid is the log
 * issue (iids only grow, so whoever sees a higher one sees the lowest too), and a job whose issue is not the lowest
 * turns it into a pointer — its marker replaced, a line "Duplicate of #N" — and adds its instance to #N instead.
 */
import type { GitlabPort, Note, ProjectRef } from '../gitlab/port.js';
import { findOwnNotes } from '../announce/upsert-note.js';
import { describeState } from '../model/state.js';
import { findOwnIssues } from '../announce/own-issue.js';
import type { LoggedChange } from './feature-flag-log.js';

export interface RingPart {
  /** The instance this job applied. */
  instance: string;
  /** Every instance of the ring, in flagops.yml's order (to name the pending ones). */
  instances: readonly string[];
}

export interface InstanceEntry {
  instance: string;
  before: string;
}

const DATA = /<!-- flagops:log-instances ([A-Za-z0-9+/=]+) -->/;
const ROUNDS = 5;
const NOTE = /<!-- flagops:log-instance ([a-z0-9_-]+) before=([A-Za-z0-9+/=]*) -->/;

/** Pure: the instances an issue's description lists as applied. */
export function readInstances(description: string): InstanceEntry[] {
  const m = DATA.exec(description);
  if (!m) return [];
  try {
    const rows = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as unknown;
    return Array.isArray(rows) ? rows.filter((r): r is InstanceEntry => typeof r?.instance === 'string' && typeof r?.before === 'string') : [];
  } catch {
    return [];
  }
}

/** Pure: the description's instance section, to append to (or replace in) the issue's description. */
export function renderInstances(entries: readonly InstanceEntry[], ring: RingPart, after: string): string {
  const order = new Map(ring.instances.map((name, i) => [name, i]));
  const sorted = [...entries].sort((a, b) => (order.get(a.instance) ?? 1e9) - (order.get(b.instance) ?? 1e9) || a.instance.localeCompare(b.instance));
  const done = new Set(sorted.map((e) => e.instance));
  const pending = ring.instances.filter((name) => !done.has(name));
  const lines = [
    '',
    `#### Instances: ${sorted.length} of ${ring.instances.length} applied${pending.length ? `; ${pending.join(', ')} pending` : ''}`,
    '',
    ...sorted.map((e) => `- ${e.instance}: ${e.before} → ${after}`),
    '',
    `<!-- flagops:log-instances ${Buffer.from(JSON.stringify(sorted)).toString('base64')} -->`,
  ];
  return `${lines.join('\n')}\n`;
}

const SECTION = /\n#### Instances: [^\n]*\n[\s\S]*<!-- flagops:log-instances [A-Za-z0-9+/=]+ -->\n?/;

/** Pure: `description` with its instance section holding `entries` (added when it has none). */
export function withInstances(description: string, entries: readonly InstanceEntry[], ring: RingPart, after: string): string {
  const section = renderInstances(entries, ring, after);
  return SECTION.test(description) ? description.replace(SECTION, section) : `${description.replace(/\n*$/, '\n')}${section}`;
}

/**
 * Logs one instance's change in the ring's issue: creates it when none exists (and resolves a creation race), else
 * adds the instance to it. Returns the iid created, if any (the issue that stays is always the lowest).
 */
export async function logRingChange(args: {
  port: GitlabPort;
  project: ProjectRef;
  change: LoggedChange & { ring: RingPart };
  marker: string;
  labels: string[];
  render: () => { title: string; description: string };
}): Promise<number | undefined> {
  const { port, project, change, marker } = args;
  const query = { marker, labels: [`env::${change.env}`], search: change.flag };
  const mine: InstanceEntry = { instance: change.ring.instance, before: describeState(change.before) };
  const after = describeState(change.after);
  const existing = (await findOwnIssues(port, project, query))[0];
  if (existing) {
    await addInstance({ port, project, iid: existing.iid, mine, ring: change.ring, after });
    if (existing.state === 'opened') await port.closeIssue(project, existing.iid);
    return undefined;
  }
  const { title, description } = args.render();
  const created = await port.createIssue(project, { title, description: withInstances(description, [mine], change.ring, after), labels: args.labels });
  await port.closeIssue(project, created.iid);
  const keeper = (await findOwnIssues(port, project, query))[0];
  if (!keeper || keeper.iid === created.iid) {
    await addInstance({ port, project, iid: created.iid, mine, ring: change.ring, after });
    return created.iid;
  }
  // lost the race: this issue points to the lowest, which gets this instance
  const pointer = `${created.description.replace(marker, `<!-- flagops:log-duplicate of=${keeper.iid} -->`).replace(SECTION, '\n')}\nDuplicate of #${keeper.iid}: another job logged this change at the same time; see there.\n`;
  await port.updateIssue(project, created.iid, { description: pointer });
  await addInstance({ port, project, iid: keeper.iid, mine, ring: change.ring, after });
  return created.iid;
}

/** Pure: the instance entry a note of flagops' holds, if it is one. */
export function noteEntry(note: Pick<Note, 'body'>): InstanceEntry | undefined {
  const m = NOTE.exec(note.body);
  return m ? { instance: m[1]!, before: Buffer.from(m[2]!, 'base64').toString('utf8') } : undefined;
}

/**
 * Adds `mine` to the issue: its own note (once), then the description's list set to the instances of flagops' notes,
 * read again after each write until they match (see the module comment for why that converges).
 */
async function addInstance(args: { port: GitlabPort; project: ProjectRef; iid: number; mine: InstanceEntry; ring: RingPart; after: string }): Promise<void> {
  const { port, project, iid, mine } = args;
  const target = { kind: 'issue' as const, project, iid };
  const noteMarker = `<!-- flagops:log-instance ${mine.instance} before=${Buffer.from(mine.before).toString('base64')} -->`;
  const entriesOf = (notes: readonly Note[]) => notes.map(noteEntry).filter((e): e is InstanceEntry => e !== undefined);
  let notes = await findOwnNotes(port, target, '<!-- flagops:log-instance ');
  if (!entriesOf(notes).some((e) => e.instance === mine.instance)) {
    await port.createNote(target, `${noteMarker}\napplied to instance ${mine.instance}: ${mine.before} → ${args.after}\n`);
    notes = await findOwnNotes(port, target, '<!-- flagops:log-instance ');
  }
  for (let round = 0; round < ROUNDS; round++) {
    const wanted = union(entriesOf(notes));
    const issue = await port.getIssue(project, iid);
    const listed = readInstances(issue.description);
    if (sameInstances(listed, wanted)) return;
    await port.updateIssue(project, iid, { description: withInstances(issue.description, wanted, args.ring, args.after) });
    const again = await findOwnNotes(port, target, '<!-- flagops:log-instance ');
    if (sameInstances(union(entriesOf(again)), wanted)) return;
    notes = again;
  }
  throw new Error(`issue #${iid}: its instance list still changes after ${ROUNDS} edits (other jobs kept adding instances)`);
}

function union(entries: readonly InstanceEntry[]): InstanceEntry[] {
  return [...new Map(entries.map((e) => [e.instance, e])).values()];
}

function sameInstances(a: readonly InstanceEntry[], b: readonly InstanceEntry[]): boolean {
  const key = (xs: readonly InstanceEntry[]) => JSON.stringify(xs.map((e) => [e.instance, e.before]).sort());
  return key(a) === key(b);
}
