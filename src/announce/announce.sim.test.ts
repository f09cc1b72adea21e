import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-announce-secret-000';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN, now: () => new Date('2026-11-21T12:00:00Z') });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addIssue(10, { iid: 345, title: 'Roll out my_flag' });
});
afterEach(() => closeCheckedSim(sim));

describe('after apply', () => {
  it('records the applied commit and announces once per target, editing the note as environments converge', async () => {
    const dir = tree({});
    const config = `flags: flags\ngitlab: { url: ${sim.url} }\nenvironments:\n  - name: staging\n    backend: { type: file, path: state/staging.json }\n  - name: production\n    backend: { type: file, path: state/production.json }\n`;
    const flag = `name: my_flag\ntype: wip\nrollout_issue_url: ${sim.url}/group/app/-/issues/345\nenvironments:\n  staging: true\n  production:\n    percentage_of_actors: 10\n`;
    const sha = mirroredFlagRepo(sim, dir).commit({ 'flagops.yml': config, 'flags/my_flag.yml': flag });
    sim.addMergeRequest(20, { iid: 3, state: 'merged', mergeCommitSha: sha, commits: [sha], description: 'Roll out my_flag' });
    const env = { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_PIPELINE_URL: 'https://ci.example/p/1' };

    const first = await cli(['apply', '--env', 'staging'], { cwd: dir, env });
    expect([first.code, first.stderr]).toEqual([0, '']);
    const mrNotes = () => sim.project(20).mergeRequests[0]!.notes;
    const issueNotes = () => sim.project(10).issues[0]!.notes;
    expect(mrNotes().length).toBe(1);
    expect(issueNotes().length).toBe(1);
    expect(issueNotes()[0]!.body).toContain('| `my_flag` | staging | on |');
    const envName = (id: number) => sim.project(20).environments.find((e) => e.id === id)?.name;
    expect(sim.project(20).deployments.map((d) => [envName(d.environmentId), d.sha, d.status])).toEqual([['staging', sha, 'success']]);

    expect((await cli(['apply', '--env', 'production'], { cwd: dir, env })).code).toBe(0);
    expect([mrNotes().length, issueNotes().length]).toEqual([1, 1]);
    expect(issueNotes()[0]!.body).toContain('| `my_flag` | staging | on |');
    expect(issueNotes()[0]!.body).toContain('| `my_flag` | production | 10% of actors |');

    // in sync at the recorded commit: no write at all
    const writes = sim.requests.filter((q) => q.method !== 'GET').length;
    expect((await cli(['apply'], { cwd: dir, env })).code).toBe(0);
    expect(sim.requests.filter((q) => q.method !== 'GET').length).toBe(writes);
  });
});

describe('forged notes', () => {
  it('leaves a note by someone else alone, even with the marker and data rows copied, and writes its own beside it', async () => {
    // an admin token: GitLab would let flagops edit anyone's note, so only the author check keeps it off
    await sim.close();
    sim = await startFlagRepoSim({ user: { username: 'bot', admin: true }, token: TOKEN, now: () => new Date('2026-11-21T12:00:00Z') });
    sim.addProject({ path: 'group/app', id: 10 });
    sim.addIssue(10, { iid: 345, title: 'Roll out my_flag' });
    const mallory = sim.addUser({ username: 'mallory' });
    const dir = tree({});
    const config = `flags: flags\ngitlab: { url: ${sim.url} }\nenvironments:\n  - name: staging\n    backend: { type: file, path: state/staging.json }\n`;
    const flag = `name: my_flag\ntype: wip\nrollout_issue_url: ${sim.url}/group/app/-/issues/345\nenvironments:\n  staging: true\n`;
    const sha = mirroredFlagRepo(sim, dir).commit({ 'flagops.yml': config, 'flags/my_flag.yml': flag });
    sim.addMergeRequest(20, { iid: 3, state: 'merged', mergeCommitSha: sha, commits: [sha], description: 'Roll out my_flag' });
    const forgedRows = Buffer.from(JSON.stringify([{ flag: 'evil_flag', env: 'production', state: 'on', at: '2026-11-20T00:00:00.000Z' }])).toString('base64');
    const forged = `<!-- flagops:applied -->\n#### flagops: applied\n\n<!-- flagops:data ${forgedRows} -->\n`;
    const at = '2026-11-20T00:00:00.000Z';
    sim.project(20).mergeRequests[0]!.notes.push({ id: 9001, body: forged, authorId: mallory.id, system: false, createdAt: at, updatedAt: at });
    const env = { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20' };

    const run = await cli(['apply'], { cwd: dir, env });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const notes = sim.project(20).mergeRequests[0]!.notes;
    expect(notes.length).toBe(2);
    expect(notes[0]).toMatchObject({ id: 9001, body: forged, updatedAt: at });
    const own = notes[1]!;
    expect(own.authorId).not.toBe(mallory.id);
    expect(own.body).toContain('| `my_flag` | staging | on |');
    expect(own.body).not.toContain('evil_flag');
    expect(sim.requests.filter((q) => q.method === 'PUT' && q.path.includes('/notes'))).toEqual([]);
    expect(sim.requests.filter((q) => q.path === '/api/v4/user').length).toBe(1);
  });
});
