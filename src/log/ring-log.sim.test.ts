/**
 * The feature-flag log and the announcements of a ring against the simulator (strict): a ring of 3 applied by 3
 * separate `flagops apply --instance` runs gives one log issue listing the 3 instances and one note row for the ring;
 * a re-run changes nothing; two runs at once still leave one log issue; a job that lost a creation race turns its
 * issue into a pointer and adds its instance to the lowest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { GitlabPort } from '../gitlab/port.js';
import { logChanges, logMarker, type LoggedChange } from './feature-flag-log.js';
import { readInstances, withInstances } from './ring-log.js';

const tree = useTmpTree();
const TOKEN = 'glpat-ring-log-token-0001';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN, now: () => new Date('2026-11-21T12:00:00Z') });
  sim.addProject({ path: 'gl-infra/feature-flag-log', id: 31 });
});
afterEach(() => closeCheckedSim(sim));

const config = () => `flags: flags
gitlab: { url: ${sim.url} }
environments:
  - name: ring1
    after: null
    log: { project: gl-infra/feature-flag-log }
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: file, path: state/cell-2.json } }
      - { name: cell-3, backend: { type: file, path: state/cell-3.json } }
`;
const flagFile = (on: boolean) => `name: my_flag\ntype: beta\ngroup: group::compliance\nenvironments:\n  ring1: ${on}\n`;
const logIssues = () => sim.project(31).issues;
const snapshot = () => JSON.stringify([logIssues().map((i) => [i.iid, i.state, i.title, i.description, i.notes.map((n) => n.body)]), sim.project(20).mergeRequests.map((m) => m.notes.map((n) => n.body))]);

function setup(): { dir: string; env: Record<string, string>; commit: (on: boolean, iid: number) => Record<string, string> } {
  const dir = tree({});
  const repo = mirroredFlagRepo(sim, dir);
  const commit = (on: boolean, iid: number) => {
    const sha = repo.commit({ 'flagops.yml': config(), 'flags/my_flag.yml': flagFile(on) });
    sim.addMergeRequest(20, { iid, state: 'merged', mergeCommitSha: sha, commits: [sha], description: 'Flip my_flag' });
    return { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_COMMIT_SHA: sha, CI_PIPELINE_URL: `https://ci.example/p/${iid}` };
  };
  return { dir, env: {}, commit };
}
const applyInstance = (dir: string, env: Record<string, string>, instance: string) => cli(['apply', '--env', 'ring1', '--instance', instance], { cwd: dir, env });

describe('feature-flag log and announcements of a ring', () => {
  it('one log issue and one note row per ring, over three instance jobs; a re-run changes nothing', async () => {
    const { dir, commit } = setup();
    const env = commit(true, 3);
    for (const [n, instance] of ['cell-1', 'cell-2', 'cell-3'].entries()) {
      const run = await applyInstance(dir, env, instance);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(logIssues().length).toBe(1);
      const note = sim.project(20).mergeRequests[0]!.notes.filter((x) => !x.system);
      expect(note.length).toBe(1);
      const pending = ['cell-1', 'cell-2', 'cell-3'].slice(n + 1);
      expect(note[0]!.body).toContain(`| \`my_flag\` | ring1: ${n + 1} of 3 instances applied${pending.length ? `; ${pending.join(', ')} pending` : ''} | on |`);
      expect(note[0]!.body.match(/\| `my_flag` \|/g)?.length).toBe(1);
    }
    const [issue] = logIssues();
    expect([issue!.title, issue!.state, issue!.labels]).toEqual(['Feature flag my_flag in ring1: unset → on', 'closed', ['env::ring1', 'flag-type::beta', 'group::compliance']]);
    expect(readInstances(issue!.description).map((e) => e.instance)).toEqual(['cell-1', 'cell-2', 'cell-3']);
    expect(issue!.description).toContain('#### Instances: 3 of 3 applied\n');
    expect(issue!.description).toContain('- cell-3: unset → on');
    expect(issue!.description).toContain('!3');

    const before = snapshot();
    for (const instance of ['cell-1', 'cell-2', 'cell-3']) expect((await applyInstance(dir, env, instance)).code).toBe(0);
    expect((await cli(['apply'], { cwd: dir, env })).code).toBe(0);
    expect(snapshot()).toBe(before);
  });

  it('two instance jobs at once still leave one log issue that lists both, and one note row', async () => {
    const { dir, commit } = setup();
    const env = commit(true, 4);
    const runs = await Promise.all(['cell-1', 'cell-2', 'cell-3'].map((i) => applyInstance(dir, env, i)));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([[0, ''], [0, ''], [0, '']]);
    const marker = logMarker({ flag: 'my_flag', env: 'ring1', after: true }, env.CI_COMMIT_SHA!);
    const holding = logIssues().filter((i) => i.description.includes(marker));
    expect(holding.length).toBe(1);
    expect(readInstances(holding[0]!.description).map((e) => e.instance)).toEqual(['cell-1', 'cell-2', 'cell-3']);
    for (const other of logIssues().filter((i) => i !== holding[0])) expect(other.description).toContain(`Duplicate of #${holding[0]!.iid}`);
    const notes = sim.project(20).mergeRequests[0]!.notes.filter((n) => !n.system && n.body.includes('<!-- flagops:applied -->'));
    expect(notes.length).toBe(1);
    expect(notes[0]!.body).toContain('| `my_flag` | ring1: 3 of 3 instances applied | on |');
  });
});

describe('the note of a ring after a race', () => {
  it('two notes created at once: the next job merges the rows into the lowest and empties the other', async () => {
    const { dir, commit } = setup();
    const env = commit(true, 5);
    expect((await applyInstance(dir, env, 'cell-1')).code).toBe(0);
    const mr = sim.project(20).mergeRequests[0]!;
    const first = mr.notes.find((n) => n.body.includes('<!-- flagops:applied -->'))!;
    // a second job that found no note created its own copy at the same time
    const port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
    const copy = await port.createNote({ kind: 'merge_request', project: 20, iid: 5 }, first.body);
    expect((await applyInstance(dir, env, 'cell-2')).code).toBe(0);
    const holding = mr.notes.filter((n) => n.body.includes('<!-- flagops:applied -->'));
    expect(holding.map((n) => n.id)).toEqual([first.id]);
    expect(holding[0]!.body).toContain('| `my_flag` | ring1: 2 of 3 instances applied; cell-3 pending | on |');
    expect(mr.notes.find((n) => n.id === copy.id)!.body).toBe(`flagops: merged into note ${first.id} (two jobs wrote at once).\n`);
  });
});

describe('a creation race, made deterministic', () => {
  it('the job whose issue is not the lowest turns it into a pointer and adds its instance to the lowest', async () => {
    const port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
    const commit = 'c'.repeat(40);
    const change = (instance: string): LoggedChange => ({ flag: 'f', env: 'ring1', before: false, after: true, warnings: [], ring: { instance, instances: ['cell-1', 'cell-2'] } });
    const first = await logChanges({ port, project: 'gl-infra/feature-flag-log', commit, changes: [change('cell-1')] });
    // the second job listed before the first created its issue: its first lookup finds none
    let stale = true;
    const late: GitlabPort = Object.create(port, {
      listAuthoredIssues: { value: async (...a: Parameters<GitlabPort['listAuthoredIssues']>) => (stale ? ((stale = false), []) : port.listAuthoredIssues(...a)) },
    });
    const second = await logChanges({ port: late, project: 'gl-infra/feature-flag-log', commit, changes: [change('cell-2')] });
    expect([first.findings, second.findings]).toEqual([[], []]);
    const [kept, pointer] = logIssues();
    expect([kept!.iid, pointer!.iid]).toEqual([first.created[0], second.created[0]]);
    expect(readInstances(kept!.description).map((e) => e.instance)).toEqual(['cell-1', 'cell-2']);
    expect(pointer!.description).not.toContain(logMarker(change('cell-2'), commit));
    expect(pointer!.description).toContain(`Duplicate of #${kept!.iid}`);
    expect(pointer!.state).toBe('closed');
    // a third look finds only the kept issue
    const third = await logChanges({ port, project: 'gl-infra/feature-flag-log', commit, changes: [change('cell-2')] });
    expect(third.created).toEqual([]);
    expect(logIssues().length).toBe(2);
  });

  it('the list is derived from the instances\' own notes: a description that lost an instance is repaired by the next job', async () => {
    const port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
    const commit = 'd'.repeat(40);
    const change = (instance: string): LoggedChange => ({ flag: 'f', env: 'ring1', before: false, after: true, warnings: [], ring: { instance, instances: ['cell-1', 'cell-2', 'cell-3'] } });
    for (const i of ['cell-1', 'cell-2']) await logChanges({ port, project: 'gl-infra/feature-flag-log', commit, changes: [change(i)] });
    const issue = logIssues()[0]!;
    expect(issue.notes.filter((n) => !n.system).length).toBe(2);
    // a concurrent job's write made from an older read dropped cell-2 from the list
    await port.updateIssue('gl-infra/feature-flag-log', issue.iid, { description: withInstances(issue.description, [{ instance: 'cell-1', before: 'off' }], change('cell-1').ring!, 'on') });
    expect(readInstances(logIssues()[0]!.description).map((e) => e.instance)).toEqual(['cell-1']);
    await logChanges({ port, project: 'gl-infra/feature-flag-log', commit, changes: [change('cell-3')] });
    expect(readInstances(logIssues()[0]!.description).map((e) => e.instance)).toEqual(['cell-1', 'cell-2', 'cell-3']);
    expect(logIssues()[0]!.description).toContain('#### Instances: 3 of 3 applied\n');
  });
});
