import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-SECRET-live-plan-7';
const NOW = new Date('2026-11-21T12:00:00Z');
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN, now: () => NOW });
  sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 7, state: 'opened', description: 'tidy flags' });
});
afterEach(() => closeCheckedSim(sim));

const CONFIG = `flags: flags\ngitlab: { url: URL }\nenvironments:\n  - name: staging\n    backend: { type: file, path: state/staging.json }\n  - name: production\n    backend: { type: file, path: state/production.json }\n`;
const snapshot = (readAt: string, flags: Record<string, unknown>) => JSON.stringify({ snapshotVersion: 1, environment: 'production', readAt, commit: 'abcdef1234567', flags });

/** main: old_flag managed, def_flag definition-only, same_flag off. The MR removes old_flag, manages def_flag on staging only, turns same_flag on. */
function mrRepo(): { dir: string; base: string } {
  const dir = tree({});
  const r = gitRepo(dir);
  const base = r.commit({
    'flagops.yml': CONFIG.replace('URL', sim.url),
    'flags/old_flag.yml': 'name: old_flag\ntype: ops\nenvironments:\n  staging: true\n  production: true\n',
    'flags/def_flag.yml': 'name: def_flag\ntype: ops\n',
    'flags/same_flag.yml': 'name: same_flag\ntype: ops\nenvironments:\n  staging: true\n  production: false\n',
  });
  r.write({
    'flags/old_flag.yml': null,
    'flags/def_flag.yml': 'name: def_flag\ntype: ops\nenvironments:\n  staging: true\n',
    'flags/same_flag.yml': 'name: same_flag\ntype: ops\nenvironments:\n  staging: true\n  production: true\n',
  });
  return { dir, base };
}
const env = (base: string) => ({ FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_SERVER_URL: sim.url, CI_DEFAULT_BRANCH: 'main' });

describe('the live plan on the merge request', () => {
  it('shows the deletions apply would make now, flags already live, and the snapshot\'s age', async () => {
    const { dir, base } = mrRepo();
    const live = { old_flag: true, def_flag: { percentage_of_actors: 10 }, same_flag: true };
    sim.addPipeline(20, { ref: 'main', jobs: [{ name: 'flagops-apply-production', artifacts: { '.flagops/live/production.json': snapshot('2026-11-21T09:30:00Z', live) } }] });
    const run = await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    expect(run.stderr).not.toContain(TOKEN);
    const note = sim.project(20).mergeRequests[0]!.notes[0]!.body;
    const production = note.slice(note.indexOf('#### production'));
    expect(production).toContain('snapshot read 2 h ago (2026-11-21 09:30 UTC, at abcdef12)');
    expect(production).toContain('**delete** `old_flag` (live on; removed file)');
    expect(production).toContain('**delete** `def_flag` (live 10% of actors; managed, no state here)');
    expect(production).toContain('no change live: `same_flag`');
    expect(note.slice(note.indexOf('#### staging'), note.indexOf('#### production'))).toContain('No live snapshot');
    const text = await cli(['check'], { cwd: dir, env: env(base), now: NOW });
    expect(text.stdout).toContain('production (live, snapshot 150 min old): - delete def_flag (managed, no state here), - delete old_flag (removed file); no change live: same_flag');
  });

  it('reads artifacts with GitLab\'s semantics: the latest successful pipeline of the branch, the newer of apply and status', async () => {
    const { dir, base } = mrRepo();
    sim.addPipeline(20, { ref: 'main', jobs: [{ name: 'flagops-apply-production', artifacts: { '.flagops/live/production.json': snapshot('2026-11-20T09:00:00Z', { old_flag: true }) } }] });
    // a scheduled status pipeline: newer, and the apply job is not in it (GitLab answers 404 for that name now)
    sim.addPipeline(20, { ref: 'main', jobs: [{ name: 'flagops-status-production', artifacts: { '.flagops/live/production.json': snapshot('2026-11-21T11:00:00Z', { old_flag: true, same_flag: true }) } }] });
    // a failed pipeline and another branch's never count
    sim.addPipeline(20, { ref: 'main', status: 'failed', jobs: [{ name: 'flagops-status-production', status: 'failed', artifacts: { '.flagops/live/production.json': snapshot('2026-11-21T11:59:00Z', {}) } }] });
    sim.addPipeline(20, { ref: 'feature', jobs: [{ name: 'flagops-status-production', artifacts: { '.flagops/live/production.json': snapshot('2026-11-21T11:59:00Z', {}) } }] });
    const run = await cli(['check', '--format', 'json'], { cwd: dir, env: env(base), now: NOW });
    const report = JSON.parse(run.stdout) as { environments: { name: string; live?: { source: string; readAt?: string; noChange?: string[] } }[] };
    const production = report.environments.find((e) => e.name === 'production')!;
    expect(production.live).toMatchObject({ source: 'snapshot', readAt: '2026-11-21T11:00:00.000Z', noChange: ['same_flag'] });
    const artifactCalls = sim.requests.filter((q) => q.path.includes('/jobs/artifacts/')).map((q) => [q.path, q.status]);
    expect(artifactCalls).toContainEqual(['/api/v4/projects/20/jobs/artifacts/main/raw/.flagops/live/production.json', 404]);
  });

  it('refuses a snapshot that is not valid, saying so', async () => {
    const { dir, base } = mrRepo();
    sim.addPipeline(20, { ref: 'main', jobs: [{ name: 'flagops-status-production', artifacts: { '.flagops/live/production.json': JSON.stringify({ snapshotVersion: 9, flags: {} }) } }] });
    const run = await cli(['check', '--format', 'json'], { cwd: dir, env: env(base), now: NOW });
    const report = JSON.parse(run.stdout) as { environments: { name: string; live?: { source: string; reason?: string } }[] };
    expect(report.environments.find((e) => e.name === 'production')!.live).toEqual({ source: 'none', reason: 'flagops-status-production: the snapshot is invalid (snapshotVersion 9, expected 1)' });
  });
});

describe('the check note is flagops\' own', () => {
  it('leaves a forged check note (other author, copied marker) alone and writes its own beside it', async () => {
    const { dir, base } = mrRepo();
    const mallory = sim.addUser({ username: 'mallory' });
    const forged = '<!-- flagops:check -->\n### flagops check: ✅ all gates pass\n';
    const at = '2026-11-20T00:00:00.000Z';
    sim.project(20).mergeRequests[0]!.notes.push({ id: 9001, body: forged, authorId: mallory.id, system: false, createdAt: at, updatedAt: at });
    await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    const notes = sim.project(20).mergeRequests[0]!.notes;
    expect(notes.map((n) => [n.id === 9001, n.authorId === mallory.id])).toEqual([[true, true], [false, false]]);
    expect(notes[0]!.body).toBe(forged);
    expect(sim.requests.filter((q) => q.method === 'PUT')).toEqual([]);
  });
});
