/**
 * `apply --plan FILE` against the GitLab simulator: the saved plan is compared with one plan made now and exactly that
 * plan is executed (one read of live state per instance, not a second one to execute).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-saved-plan-admin-0001';
const ENV = { GL_TOKEN: TOKEN, CI_PROJECT_ID: '20' };
const THURSDAY = new Date('2026-11-26T10:00:00Z');
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: TOKEN });
});
afterEach(() => closeCheckedSim(sim));

const flag = (name: string, staging: string) => `name: ${name}\ntype: beta\nenvironments:\n  staging: ${staging}\n`;

/** staging (instance features of the simulator) honouring group/flags' deploy freezes; `files` at the first commit. */
function flagRepo(files: Record<string, string>): string {
  const dir = tree({});
  const config = `flags: flags
gitlab: { url: ${sim.url}, token_env: GL_TOKEN }
environments:
  - name: staging
    freeze: { project: group/flags }
    backend: { type: gitlab-features, url: ${sim.url}, token_env: GL_TOKEN }
`;
  mirroredFlagRepo(sim, dir).commit({ 'flagops.yml': config, ...files });
  return dir;
}

async function savePlan(dir: string, now: Date): Promise<void> {
  const made = await cli(['plan', '--format', 'json', '--output', 'plan.json'], { cwd: dir, env: ENV, now });
  expect(made.code, made.stdout + made.stderr).toBe(0);
}

const featureReads = (from: number) => sim.requests.slice(from).filter((r) => r.method === 'GET' && r.path === '/api/v4/features');
const featureWrites = (from: number) => sim.requests.slice(from).filter((r) => r.method !== 'GET' && r.path.startsWith('/api/v4/features'));
type Report = { findings: { code: string; flag?: string; message: string }[] };

describe('apply --plan: one plan, compared and executed', () => {
  it('reads live state once before the writes, and writes what the saved plan says', async () => {
    const dir = flagRepo({ 'flags/a.yml': flag('a', 'true'), 'flags/b.yml': flag('b', 'true') });
    await savePlan(dir, THURSDAY);
    const from = sim.requests.length;
    const run = await cli(['apply', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: ENV, now: THURSDAY });
    expect(run.code, run.stdout).toBe(0);
    const firstWrite = sim.requests.findIndex((r, i) => i >= from && r.method !== 'GET' && r.path.startsWith('/api/v4/features'));
    expect(firstWrite).toBeGreaterThan(from);
    // the comparison's read is the one the execution uses (before the change, two: one to compare, one to execute)
    expect(featureReads(from).filter((r) => sim.requests.indexOf(r) < firstWrite)).toHaveLength(1);
    expect(featureWrites(from).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['POST /api/v4/features/a', 'POST /api/v4/features/b']);
    expect([sim.feature('a')?.state, sim.feature('b')?.state]).toEqual(['on', 'on']);
  });

  it('live state changed after the plan was saved: held, and nothing is written', async () => {
    const dir = flagRepo({ 'flags/a.yml': flag('a', 'true') });
    await savePlan(dir, THURSDAY);
    sim.setFeature('a', { percentageOfActors: 10 });
    const from = sim.requests.length;
    const run = await cli(['apply', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: ENV, now: THURSDAY });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Report).findings.find((f) => f.code === 'plan/stale')?.message).toMatch(/a: live state changed/);
    expect(featureReads(from)).toHaveLength(1);
    expect(featureWrites(from)).toEqual([]);
  });
});
