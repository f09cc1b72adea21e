/**
 * Rings as a story (README "Rings"): one flag file, three rings of 1, 3 and 5 instances — ring0 and ring1 on the
 * Features API of their own GitLab simulator each (gitlab-features), ring2 on file backends — and the flag
 * repository's GitLab (deployment records, the `deployed` gate's code project). One clock drives the simulators and
 * flagops. The apply jobs are run as the generated pipeline runs them: one `flagops apply --env RING --instance NAME`
 * per instance, the instances of a ring at once, the next ring only when every job of the ring before succeeded; the
 * scheduled pipeline is one `flagops apply --allow-pending`. After every step every instance's live state is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabSim, type FaultHandle, type GitlabSim } from '../gitlab-sim/index.js';
import { FLAG_PROJECT_ID, mirroredFlagRepo, startFlagRepoSim } from '../helpers/flag-repo-sim.js';
import { cli, type CliRun } from '../helpers/run-cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const HOUR = 3_600_000;
const FLAG = 'ring_flag';
const GITLAB_TOKEN = 'glpat-rings-GITLAB-0001';
const RINGS = { ring0: ['cell-0'], ring1: ['cell-1', 'cell-2', 'cell-3'], ring2: ['cell-1', 'cell-2', 'cell-3', 'cell-4', 'cell-5'] } as const;
type Ring = keyof typeof RINGS;
type Live = boolean | undefined | Record<string, unknown>;
const c2 = 'c2'.padEnd(40, '2');

let now = Date.parse('2026-11-02T08:00:00Z');
const clock = (): Date => new Date(now);
let gitlab: GitlabSim;
/** ring0's and ring1's instances, each a GitLab of its own. */
const cells = new Map<string, GitlabSim>();
let dir: string;
let repo: ReturnType<typeof mirroredFlagRepo>;
const vars: Record<string, string> = { FLAGOPS_GITLAB_TOKEN: GITLAB_TOKEN };
const tokenEnv = (ring: string, cell: string) => `${ring}_${cell}`.toUpperCase().replace(/-/g, '_') + '_TOKEN';

const flagFile = (state: boolean): string => `name: ${FLAG}
type: wip
introduced_by_url: ${gitlab.url}/group/app/-/merge_requests/1
environments:
  ring0: ${state}
  ring1: ${state}
  ring2: ${state}
`;

function config(): string {
  const features = (ring: Ring) =>
    RINGS[ring].map((cell) => `      - { name: ${cell}, backend: { type: gitlab-features, url: ${cells.get(`${ring}/${cell}`)!.url}, token_env: ${tokenEnv(ring, cell)} } }`).join('\n');
  return `flags: flags
gitlab: { url: ${gitlab.url}, token_env: FLAGOPS_GITLAB_TOKEN }
environments:
  - name: ring0
    instances:
${features('ring0')}
  - name: ring1
    soak: 1d
    instances:
${features('ring1')}
  - name: ring2
    soak: 1d
    deployment: { environment: gprd }
    instances:
${RINGS.ring2.map((cell) => `      - { name: ${cell}, backend: { type: file, path: state/ring2-${cell}.json } }`).join('\n')}
`;
}

/** Every instance's live state of the flag: `ring/cell` → state (undefined: no record). */
function live(): Record<string, Live> {
  const out: Record<string, Live> = {};
  for (const ring of Object.keys(RINGS) as Ring[]) {
    for (const cell of RINGS[ring]) {
      const sim = cells.get(`${ring}/${cell}`);
      if (sim) {
        const f = sim.features.find((x) => x.name === FLAG);
        out[`${ring}/${cell}`] = !f ? undefined : f.boolean ? true : f.percentageOfActors ? { percentage_of_actors: f.percentageOfActors } : false;
      } else {
        const path = join(dir, 'state', `ring2-${cell}.json`);
        out[`${ring}/${cell}`] = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).flags[FLAG] : undefined;
      }
    }
  }
  return out;
}
const everywhere = (state: Live, rings: readonly Ring[]): Record<string, Live> =>
  Object.fromEntries((Object.keys(RINGS) as Ring[]).flatMap((ring) => RINGS[ring].map((cell) => [`${ring}/${cell}`, rings.includes(ring) ? state : undefined])));

const flagops = (args: string[]): Promise<CliRun> => cli(args, { cwd: dir, env: { ...vars, CI_PROJECT_ID: String(FLAG_PROJECT_ID), CI_COMMIT_REF_NAME: 'main' }, now: clock() });
/** One apply job per instance of the ring, all at once (as the generated child pipeline has them). */
const ringJobs = async (ring: Ring, extra: string[] = []): Promise<Record<string, CliRun>> => {
  const runs = await Promise.all(RINGS[ring].map((cell) => flagops(['apply', '--env', ring, '--instance', cell, ...extra])));
  return Object.fromEntries(RINGS[ring].map((cell, i) => [`${ring}/${cell}`, runs[i]!]));
};
/** The rollout lane: ring by ring; a ring whose jobs did not all succeed holds the next (`needs`). */
async function rollout(): Promise<Record<string, CliRun>> {
  const out: Record<string, CliRun> = {};
  for (const ring of Object.keys(RINGS) as Ring[]) {
    const jobs = await ringJobs(ring);
    Object.assign(out, jobs);
    if (Object.values(jobs).some((j) => j.code !== 0)) break;
  }
  return out;
}
const codes = (jobs: Record<string, CliRun>) => Object.fromEntries(Object.entries(jobs).map(([k, v]) => [k, v.code]));
/** The output of every job, for a failing assertion's message. */
const logs = (jobs: Record<string, CliRun>) => Object.entries(jobs).map(([k, v]) => `${k} (${v.code}):\n${v.stdout}${v.stderr}`).join('\n');
/** GitLab environment names of the flag repository's deployment records, with their statuses (sorted: jobs run at once). */
const records = (): string[] => {
  const project = gitlab.project(FLAG_PROJECT_ID);
  return project.deployments.map((d) => `${project.environments.find((e) => e.id === d.environmentId)!.name} ${d.status}`).sort();
};
const writes = (sim: GitlabSim, from: number) => sim.requests.slice(from).filter((r) => r.method !== 'GET').length;

describe('rings: one flag file, three rings of 1, 3 and 5 instances', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagops-rings-'));
    gitlab = await startFlagRepoSim({ user: { username: 'flagops-bot' }, token: GITLAB_TOKEN, now: clock });
    // the flag's code: group/app MR 1, merged as c2 and deployed to gprd (the `deployed` gate of ring2)
    gitlab.addProject({ path: 'group/app' });
    gitlab.addCommit('group/app', { sha: c2, parents: [] });
    gitlab.addMergeRequest('group/app', { iid: 1, state: 'merged', mergeCommitSha: c2, mergedAt: clock().toISOString() });
    gitlab.addDeployment('group/app', { environment: 'gprd', sha: c2, status: 'success' });
    for (const ring of ['ring0', 'ring1'] as const) {
      for (const cell of RINGS[ring]) {
        const sim = await startGitlabSim({ now: clock });
        sim.addUser({ username: 'admin', admin: true });
        const token = `glpat-rings-${ring}-${cell}-0002`;
        sim.addToken(token, { user: 'admin', scopes: ['api'] });
        vars[tokenEnv(ring, cell)] = token;
        cells.set(`${ring}/${cell}`, sim);
      }
    }
    repo = mirroredFlagRepo(gitlab, dir);
    repo.commit({ 'flagops.yml': config(), 'flags/.keep': '' });
  });
  afterAll(async () => {
    for (const sim of [gitlab, ...cells.values()]) expect(sim.unexpected).toEqual([]);
    await Promise.all([gitlab, ...cells.values()].map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a. the merge rolls out to ring0; ring1 is held until ring0 has soaked 1d', async () => {
    repo.commit({ [`flags/${FLAG}.yml`]: flagFile(true) });
    const jobs = await rollout();
    expect(codes(jobs), logs(jobs)).toEqual({ 'ring0/cell-0': 0, 'ring1/cell-1': 1, 'ring1/cell-2': 1, 'ring1/cell-3': 1 });
    expect(jobs['ring1/cell-2']!.stdout).toContain('ring1/cell-2: ring0 has held at least on for 0m of the required 1d');
    expect(live()).toEqual(everywhere(true, ['ring0']));
    expect(records()).toEqual(['ring0/cell-0 success']);

    now += 12 * HOUR;
    const scheduled = await flagops(['apply', '--allow-pending']);
    expect(scheduled.code, scheduled.stdout + scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toContain('ring ring1: NOT converged, 0 of 3 instances converged; not converged: cell-1 (1 pending), cell-2 (1 pending), cell-3 (1 pending)');
    expect(scheduled.stdout).toContain('ring0 has held at least on for 12h of the required 1d');
    expect(live()).toEqual(everywhere(true, ['ring0']));
  });

  let fault: FaultHandle;
  it('b. a day later ring1 rolls out, but cell-3 fails: cell-1 and cell-2 keep the flag on, ring2 does not start, status names cell-3', async () => {
    now += 12 * HOUR;
    fault = cells.get('ring1/cell-3')!.faults.add({ method: 'POST', path: new RegExp(`/features/${FLAG}$`), kind: 'status', status: 503 });
    // while cell-3 answers 503, each GitLab call gives up after 5 s of retries (default 120 s)
    vars.FLAGOPS_GITLAB_RETRY_BUDGET = '5';
    const jobs = await rollout();
    expect(codes(jobs), logs(jobs)).toEqual({ 'ring0/cell-0': 0, 'ring1/cell-1': 0, 'ring1/cell-2': 0, 'ring1/cell-3': 3 });
    expect(jobs['ring1/cell-3']!.stdout).toContain(`ring1/cell-3: ${FLAG} was not applied`);
    expect(live()).toEqual({ ...everywhere(true, ['ring0', 'ring1']), 'ring1/cell-3': undefined });

    const status = await flagops(['status', '--env', 'ring1']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('ring ring1: NOT converged, 2 of 3 instances converged; not converged: cell-3 (1 out of sync)');
    expect(status.stdout).toMatch(new RegExp(`== ring1/cell-3 \\(gitlab-features\\)\\n  ${FLAG}\\s+out of sync\\s+unset → on`));
    expect(records()).toEqual(['ring0/cell-0 success', 'ring1/cell-1 success', 'ring1/cell-2 success', 'ring1/cell-3 failed']);

    // the scheduled pipeline applies everything in one run: cell-3 fails again, and ring2 is held by it
    const scheduled = await flagops(['apply', '--allow-pending']);
    expect(scheduled.code, scheduled.stdout + scheduled.stderr).toBe(3);
    expect(scheduled.stdout).toContain('ring ring1: NOT converged, 2 of 3 instances converged; not converged: cell-3 (1 failed)');
    expect(scheduled.stdout).toContain('ring2: ring1 (instance cell-3 of 3) has not been applied with at least on yet (the last apply of ring1/cell-3 did not finish; 2 of 3 instances hold it)');
    expect(live()).toEqual({ ...everywhere(true, ['ring0', 'ring1']), 'ring1/cell-3': undefined });
  });

  it('b. a re-run six hours later completes cell-3 and writes nowhere else; ring2 soaks from cell-3, the last instance', async () => {
    now += 6 * HOUR;
    fault.remove();
    delete vars.FLAGOPS_GITLAB_RETRY_BUDGET;
    const seen = new Map([...cells].map(([k, sim]) => [k, sim.requests.length]));
    const jobs = await rollout();
    expect(codes(jobs), logs(jobs)).toEqual({
      'ring0/cell-0': 0,
      'ring1/cell-1': 0,
      'ring1/cell-2': 0,
      'ring1/cell-3': 0,
      ...Object.fromEntries(RINGS.ring2.map((c) => [`ring2/${c}`, 1])),
    });
    expect([...cells.keys()].map((k) => [k, writes(cells.get(k)!, seen.get(k)!)])).toEqual([
      ['ring0/cell-0', 0],
      ['ring1/cell-1', 0],
      ['ring1/cell-2', 0],
      ['ring1/cell-3', 1],
    ]);
    expect(jobs['ring2/cell-4']!.stdout).toContain('ring1 has held at least on for 0m of the required 1d (applied 2026-11-03 14:00 UTC to its last instance, cell-3)');
    expect(live()).toEqual(everywhere(true, ['ring0', 'ring1']));

    // a day after cell-1 and cell-2, 18 hours after cell-3: ring1 has not soaked yet
    now += 18 * HOUR;
    const scheduled = await flagops(['apply', '--allow-pending']);
    expect(scheduled.code, scheduled.stdout + scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toContain('ring1 has held at least on for 18h of the required 1d (applied 2026-11-03 14:00 UTC to its last instance, cell-3)');
    expect(live()).toEqual(everywhere(true, ['ring0', 'ring1']));
  });

  it('a. once ring1 has soaked, ring2 rolls out on all five instances; its deployment is looked up once for the ring', async () => {
    now += 6 * HOUR;
    const lookups = () => gitlab.requests.filter((r) => r.path.includes('/deployments') && r.query.environment === 'gprd').length;
    const before = lookups();
    const scheduled = await flagops(['apply', '--allow-pending']);
    expect(scheduled.code, scheduled.stdout + scheduled.stderr).toBe(0);
    expect(lookups() - before).toBe(1);
    expect(live()).toEqual(everywhere(true, ['ring0', 'ring1', 'ring2']));
    const status = await flagops(['status']);
    for (const ring of Object.keys(RINGS)) expect(status.stdout).toContain(`ring ${ring}: converged, ${RINGS[ring as Ring].length} of ${RINGS[ring as Ring].length} instance`);
    expect(records().filter((r) => r.startsWith('ring2/'))).toEqual(RINGS.ring2.map((c) => `ring2/${c} success`));
  });

  it('c. a rollback reaches every instance of every ring at once: nine jobs in parallel, no gate holds them', async () => {
    repo.commit({ [`flags/${FLAG}.yml`]: flagFile(false) });
    // no time passes: no ring has held "off" for any soak, and a rollback needs none
    const jobs = Object.assign({}, ...(await Promise.all((Object.keys(RINGS) as Ring[]).map((ring) => ringJobs(ring)))));
    expect(Object.values(codes(jobs)), logs(jobs)).toEqual(Array(9).fill(0));
    expect(live()).toEqual(everywhere(false, ['ring0', 'ring1', 'ring2']));
    const status = await flagops(['status', '--format', 'json']);
    expect(JSON.parse(status.stdout).rings.map((r: { env: string; converged: boolean }) => [r.env, r.converged])).toEqual([
      ['ring0', true],
      ['ring1', true],
      ['ring2', true],
    ]);
  });
});
