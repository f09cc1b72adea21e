/**
 * `flagops hygiene --open-issues` against the GitLab simulator: one cleanup issue per due flag, in its rollout issue's
 * project (or hygiene.cleanup_issues.project), linked once, labels copied; found again by marker and author, edited
 * in place only when the facts change; a look-alike by another user is never trusted; --dry-run writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim, SimIssue } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli, type CliRun } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { cleanupMarker } from './cleanup-body.js';

const tree = useTmpTree();
const DAY = 86_400_000;
const T0 = new Date('2026-11-01T12:00:00Z');
const TOKEN = 'glpat-bot-token-0001';
const OTHER_TOKEN = 'glpat-mallory-0002';
const TITLE = (flag: string): string => `[Feature flag] Cleanup ${flag}`;

let sim: GitlabSim;
let clock = T0;

beforeEach(async () => {
  clock = T0;
  sim = await startFlagRepoSim({ user: { username: 'flagops-bot' }, token: TOKEN, now: () => clock });
  sim.addUser({ username: 'mallory' });
  sim.addToken(OTHER_TOKEN, { user: 'mallory', scopes: ['api'] });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addProject({ path: 'group/lib', id: 11 });
  sim.addGroup({ path: 'ops' });
  sim.addProject({ path: 'ops/cleanup', id: 30 });
  sim.addIssue('group/app', { iid: 1, title: '[Feature flag] Rollout of on_flag', labels: ['feature flag', 'group::integrations'] });
  sim.addIssue('group/lib', { iid: 4, title: '[Feature flag] Rollout of off_flag', labels: ['feature flag', 'group::lib'] });
  sim.addIssue('group/app', { iid: 2, title: '[Feature flag] Rollout of old_flag', labels: ['devops::plan'] });
});
afterEach(() => closeCheckedSim(sim));

const env = { GL_TOKEN: TOKEN, CI_PROJECT_ID: String(FLAG_PROJECT_ID), CI_PROJECT_URL: 'https://gitlab.example.com/group/flags' };
const issue = (project: string, iid: number): string => `rollout_issue_url: ${sim.url}/${project}/-/issues/${iid}\n`;

function flagRepo(extraConfig = '') {
  const dir = tree({});
  const repo = gitRepo(dir);
  const config = `flags: flags\ngitlab: { url: ${sim.url}, token_env: GL_TOKEN }\n${extraConfig}environments:\n  - name: production\n    backend: { type: file, path: state/production.json }\n`;
  const sha = repo.commit(
    {
      'flagops.yml': config,
      'flags/on_flag.yml': `name: on_flag\ntype: ops\nintroduced_by_url: ${sim.url}/group/app/-/merge_requests/5\n${issue('group/app', 1)}environments:\n  production: true\n`,
      'flags/off_flag.yml': `name: off_flag\ntype: ops\n${issue('group/lib', 4)}environments:\n  production: false\n`,
      'flags/old_flag.yml': `name: old_flag\ntype: gitlab_com_derisk\nmilestone: '17.0'\n${issue('group/app', 2)}`,
      'flags/orphan.yml': `name: orphan\ntype: ops\nenvironments:\n  production:\n    actors:\n      users: [luke]\n`,
      'flags/fresh.yml': `name: fresh\ntype: ops\n${issue('group/app', 1)}`,
    },
    'flags',
    '2026-10-01T00:00:00Z',
  );
  sim.addCommit(FLAG_PROJECT_ID, { sha, parents: [] });
  sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
  return { dir, repo };
}

const cleanupIssues = (project: string): SimIssue[] => sim.project(project).issues.filter((i) => i.title.startsWith('[Feature flag] Cleanup'));
const writes = (from: number) => sim.requests.slice(from).filter((r) => r.method !== 'GET');
type Report = { findings: { code: string; flag?: string; severity: string; message: string }[]; cleanup_issues: { dry_run: boolean; issues: { flag: string; action: string; link: string; iid?: number }[] } };
const json = (run: CliRun): Report => JSON.parse(run.stdout) as Report;

async function hygiene(dir: string, extra: string[] = []): Promise<CliRun> {
  const run = await cli(['hygiene', '--open-issues', '--format', 'json', ...extra], { cwd: dir, env, now: clock });
  expect(run.stdout + run.stderr).not.toContain(TOKEN);
  return run;
}

describe('flagops hygiene --open-issues', () => {
  it('opens one issue per due flag next to its rollout issue, linked once, labels copied; a second run writes nothing', async () => {
    const { dir } = flagRepo();
    expect((await cli(['apply'], { cwd: dir, env, now: clock })).code).toBe(0);
    clock = new Date(T0.getTime() + 31 * DAY);
    // someone else's issue with flagops' title and marker: a look-alike, never trusted
    sim.addIssue('group/app', { iid: 50, title: TITLE('on_flag'), description: `${cleanupMarker('on_flag')}\nfake`, author: 'mallory' });
    const lookAlike = { ...sim.project('group/app').issues.find((i) => i.iid === 50)! };
    const beforeDry = sim.requests.length;

    const dry = await hygiene(dir, ['--dry-run']);
    expect(dry.code).toBe(0);
    expect(json(dry).cleanup_issues.dry_run).toBe(true);
    expect(json(dry).cleanup_issues.issues.map((i) => [i.flag, i.action])).toEqual([['off_flag', 'created'], ['old_flag', 'created'], ['on_flag', 'created']]);
    const text = await cli(['hygiene', '--open-issues', '--dry-run'], { cwd: dir, env, now: clock });
    expect(text.stdout).toContain('cleanup issue in group/app would be created: [Feature flag] Cleanup on_flag (labels +feature flag, +group::integrations; would link the rollout issue)');
    expect(writes(beforeDry)).toEqual([]);
    expect(cleanupIssues('group/app').map((i) => i.iid)).toEqual([50]);

    const seen = sim.requests.length;
    const first = await hygiene(dir);
    expect(first.code).toBe(0);
    const report = json(first);
    expect(report.cleanup_issues.issues.map((i) => [i.flag, i.action, i.link])).toEqual([
      ['off_flag', 'created', 'created'],
      ['old_flag', 'created', 'created'],
      ['on_flag', 'created', 'created'],
    ]);
    // each reason: off, lifespan, fully-on; no-rollout-issue has nowhere to go without cleanup_issues.project
    expect(report.findings.filter((f) => f.code === 'hygiene/cleanup-issue').map((f) => [f.flag, f.severity])).toEqual([['orphan', 'warning']]);
    const app = cleanupIssues('group/app');
    expect(app.map((i) => [i.iid, i.title])).toEqual([[50, TITLE('on_flag')], [51, TITLE('old_flag')], [52, TITLE('on_flag')]]);
    const on = app.find((i) => i.iid === 52)!;
    expect(on.labels).toEqual(['feature flag', 'group::integrations']);
    expect(on.description).toContain(cleanupMarker('on_flag'));
    expect(on.description).toContain('**fully-on**: on_flag has been fully on in every environment (production) since 2026-11-01 12:00 UTC');
    expect(on.description).toContain("`git grep -nwE 'on_flag|onFlag'`");
    expect(on.description).toContain(`([code search](${sim.url}/search?search=on_flag&scope=blobs&project_id=10))`);
    expect(on.description).toContain('- [ ] Delete the flag everywhere: in the flag repository (https://gitlab.example.com/group/flags), run `flagops delete on_flag`');
    expect(on.description).toContain('`flags/on_flag.yml`');
    expect(app.find((i) => i.iid === 51)!.description).toContain('**lifespan**: old_flag is a gitlab_com_derisk flag');
    const lib = cleanupIssues('group/lib');
    expect(lib.map((i) => [i.title, i.labels])).toEqual([[TITLE('off_flag'), ['feature flag', 'group::lib']]]);
    expect(lib[0]!.description).toContain('**off**: off_flag has been off or absent');
    // the look-alike is untouched
    expect(sim.project('group/app').issues.find((i) => i.iid === 50)).toEqual(lookAlike);
    // linked to each rollout issue, once
    const links = sim.state.issueLinks.map((l) => [l.sourceId, l.targetId]);
    const id = (p: string, iid: number): number => sim.project(p).issues.find((i) => i.iid === iid)!.id;
    expect(links).toEqual([[id('group/lib', lib[0]!.iid), id('group/lib', 4)], [id('group/app', 51), id('group/app', 2)], [id('group/app', 52), id('group/app', 1)]]);
    expect(writes(seen).map((r) => `${r.method} ${r.path}`).filter((p) => p.includes('/links'))).toHaveLength(3);

    const again = sim.requests.length;
    const second = await hygiene(dir);
    expect(second.code).toBe(0);
    expect(json(second).cleanup_issues.issues.map((i) => [i.flag, i.action, i.link])).toEqual([
      ['off_flag', 'unchanged', 'exists'],
      ['old_flag', 'unchanged', 'exists'],
      ['on_flag', 'unchanged', 'exists'],
    ]);
    expect(writes(again)).toEqual([]);
    expect(cleanupIssues('group/app')).toHaveLength(3);
    // server-side filters: the bot's own issues whose title names the flag, every page
    const listing = sim.requests.slice(again).find((r) => r.path === '/api/v4/projects/group%2Fapp/issues' && r.query.search === 'on_flag');
    expect(listing?.query).toMatchObject({ author_id: String(sim.state.users.find((u) => u.username === 'flagops-bot')!.id), search: 'on_flag', in: 'title,description', state: 'all' });
  });

  it('a changed fact edits the issue in place, keeping ticked boxes and what people wrote; labels are added, never removed', async () => {
    const { dir, repo } = flagRepo();
    await cli(['apply'], { cwd: dir, env, now: clock });
    clock = new Date(T0.getTime() + 31 * DAY);
    await hygiene(dir);
    const on = cleanupIssues('group/app').find((i) => i.title === TITLE('on_flag'))!;
    const iid = on.iid;
    // a person renames it, ticks the first box, adds a label and a comment below flagops' part
    on.title = 'Remove the ZenTao switch';
    const ticked = on.description.replace('- [ ] Remove every reference', '- [x] Remove every reference');
    on.description = `${ticked}\nDone in !99. -- luke\n`;
    on.labels.push('workflow::in dev');
    const updatedAt = on.updatedAt;
    // 120 newer issues of the bot that name the flag: flagops' own one is on the second page of the listing
    for (let n = 0; n < 120; n += 1) sim.addIssue('group/app', { iid: 100 + n, title: `Notes on on_flag ${n}`, author: 'flagops-bot', createdAt: '2026-12-30T00:00:00Z' });
    const paged = sim.requests.length;
    expect(json(await hygiene(dir)).cleanup_issues.issues.find((i) => i.flag === 'on_flag')!.action).toBe('unchanged');
    expect(on.updatedAt).toBe(updatedAt);
    expect(sim.requests.slice(paged).filter((r) => r.path === '/api/v4/projects/group%2Fapp/issues' && r.query.search === 'on_flag').map((r) => r.query.page)).toEqual(['1', '2']);

    repo.commit({ 'flags/on_flag.yml': `name: on_flag\ntype: ops\nintroduced_by_url: ${sim.url}/group/app/-/merge_requests/5\n${issue('group/app', 1)}intended_to_rollout_by: '2026-11-15'\nenvironments:\n  production: true\n` });
    sim.project('group/app').issues.find((i) => i.iid === 1)!.labels.push('milestone::18.7');
    const seen = sim.requests.length;
    const run = await hygiene(dir);
    expect(json(run).cleanup_issues.issues.find((i) => i.flag === 'on_flag')).toMatchObject({ action: 'updated', iid, link: 'exists' });
    expect(sim.project('group/app').issues.filter((i) => i.description.includes(cleanupMarker('on_flag')))).toHaveLength(1);
    expect(on.description).toContain('**lifespan**: on_flag was intended to be rolled out by 2026-11-15');
    expect(on.description).toContain('- [x] Remove every reference');
    expect(on.description).toContain('Done in !99. -- luke');
    expect(on.labels).toEqual(['feature flag', 'group::integrations', 'workflow::in dev', 'milestone::18.7']);
    const puts = writes(seen).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`/api/v4/projects/group%2Fapp/issues/${iid}`]);
    expect(puts[0]!.body).toMatchObject({ add_labels: 'milestone::18.7' });
    expect(writes(seen).filter((r) => r.method === 'POST')).toEqual([]);

    // closed by a person: left closed, never edited or reopened, and no second one
    on.state = 'closed';
    repo.commit({ 'flags/on_flag.yml': `name: on_flag\ntype: ops\n${issue('group/app', 1)}intended_to_rollout_by: '2026-11-16'\nenvironments:\n  production: true\n` });
    const closedAt = sim.requests.length;
    expect(json(await hygiene(dir)).cleanup_issues.issues.find((i) => i.flag === 'on_flag')!.action).toBe('closed');
    expect(writes(closedAt)).toEqual([]);
  });

  it('hygiene.cleanup_issues.project holds every issue, flags without a rollout issue too, with its labels', async () => {
    const { dir } = flagRepo("hygiene:\n  cleanup_issues: { project: ops/cleanup, labels: ['feature flag cleanup'] }\n");
    await cli(['apply'], { cwd: dir, env, now: clock });
    clock = new Date(T0.getTime() + 31 * DAY);
    const run = await hygiene(dir);
    expect(run.code).toBe(0);
    const issues = cleanupIssues('ops/cleanup');
    expect(issues.map((i) => i.title).sort()).toEqual([TITLE('off_flag'), TITLE('old_flag'), TITLE('on_flag'), TITLE('orphan')]);
    const orphan = issues.find((i) => i.title === TITLE('orphan'))!;
    expect(orphan.labels).toEqual(['feature flag cleanup']);
    expect(orphan.description).toContain('**no-rollout-issue**');
    expect(orphan.description).toContain('- [ ] Open a rollout issue for the flag and set `rollout_issue_url` in `flags/orphan.yml`');
    expect(issues.find((i) => i.title === TITLE('on_flag'))!.labels).toEqual(['feature flag', 'group::integrations', 'feature flag cleanup']);
    expect(json(run).cleanup_issues.issues.find((i) => i.flag === 'orphan')!.link).toBe('none');
    expect(sim.state.issueLinks).toHaveLength(3);
    expect(cleanupIssues('group/app')).toEqual([]);
  });

  it('refuses --dry-run without --open-issues, and --open-issues without a gitlab section (exit 2)', async () => {
    const { dir } = flagRepo();
    const alone = await cli(['hygiene', '--dry-run'], { cwd: dir, env, now: clock });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--dry-run goes with --open-issues');
    const plain = tree({ 'flagops.yml': 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: file, path: s.json }\n' });
    const run = await cli(['hygiene', '--open-issues'], { cwd: plain, env, now: clock });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--open-issues needs a gitlab section');
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
