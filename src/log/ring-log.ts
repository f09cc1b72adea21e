/**
 * The feature-flag log of a ring (README "Rings"): one issue per applied change of a flag in the ring — per (flag,
 * ring, commit, new state), whatever the number of instances. Each instance job runs on its own (possibly at the same
 * time as the others): the first to apply opens the issue, the later ones find it (same marker, same own-author
 * lookup) and add their instance to its list, editing only when the list changes.
 *
 * Two jobs racing: both find none and both create. After creating, a job lists again; the lowest iid is the log
 * issue (iids only grow, so whoever sees a higher one sees the lowest too), and a job whose issue is not the lowest
 * turns it into a pointer — its marker replaced, a line "Duplicate of #N" — and adds its instance to #N instead. Two
 * jobs editing the list at once: after each write a job reads the issue again and writes again until its instance
 * is there (a few rounds), so an edit lost to a concurrent one is redone.
 */
import type { GitlabPort, Issue, ProjectRef } from '../gitlab/port.js';
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
const ROUNDS = 4;

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
    await addInstance({ port, project, issue: existing, mine, ring: change.ring, after });
    if (existing.state === 'opened') await port.closeIssue(project, existing.iid);
    return undefined;
  }
  const { title, description } = args.render();
  const created = await port.createIssue(project, { title, description: withInstances(description, [mine], change.ring, after), labels: args.labels });
  await port.closeIssue(project, created.iid);
  const keeper = (await findOwnIssues(port, project, query))[0];
  if (!keeper || keeper.iid === created.iid) return created.iid;
  // lost the race: this issue points to the lowest, which gets this instance
  const pointer = `${created.description.replace(marker, `<!-- flagops:log-duplicate of=${keeper.iid} -->`).replace(DATA, '')}\nDuplicate of #${keeper.iid}: another job logged this change at the same time; see there.\n`;
  await port.updateIssue(project, created.iid, { description: pointer });
  await addInstance({ port, project, issue: keeper, mine, ring: change.ring, after });
  return created.iid;
}

/** Adds `mine` to the issue's instance list, writing only when it is missing, and reading back after each write. */
async function addInstance(args: { port: GitlabPort; project: ProjectRef; issue: Issue; mine: InstanceEntry; ring: RingPart; after: string }): Promise<void> {
  let issue = args.issue;
  for (let round = 0; round < ROUNDS; round++) {
    const entries = readInstances(issue.description);
    if (entries.some((e) => e.instance === args.mine.instance)) return;
    await args.port.updateIssue(args.project, issue.iid, { description: withInstances(issue.description, [...entries, args.mine], args.ring, args.after) });
    issue = await args.port.getIssue(args.project, issue.iid);
  }
  throw new Error(`issue #${issue.iid} still does not list ${args.mine.instance} after ${ROUNDS} edits (other jobs kept editing it)`);
}
