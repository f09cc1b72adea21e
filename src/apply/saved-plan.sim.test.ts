/**
 * `apply --plan FILE` against the GitLab simulator: the saved plan is compared with one plan made now and exactly that
 * plan is executed (one read of live state per instance, not a second one to execute), and a plan made outside a
 * deploy freeze is held when applied during one — while a rollback, which freezes never hold, still lands.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-saved-plan-admin-0001';
const ENV = { GL_TOKEN: TOKEN, CI_PROJECT_ID: '20' };
// outside the weekend freeze (Friday 23:00 → Monday 07:00 UTC), and inside it
const THURSDAY = new Date('2026-11-26T10:00:00Z');
const SATURDAY = new Date('2026-11-28T10:00:00Z');
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

describe('apply --plan during a deploy freeze', () => {
  beforeEach(() => {
    sim.addFreezePeriod(20, { freezeStart: '0 23 * * 5', freezeEnd: '0 7 * * 1', cronTimezone: 'UTC' });
  });

  it('a rollout planned outside the freeze is held: plan/stale names the freeze, nothing is written', async () => {
    const dir = flagRepo({ 'flags/a.yml': flag('a', 'true') });
    await savePlan(dir, THURSDAY);
    expect((JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { environments: { flags: { status: string }[] }[] }).environments[0]!.flags).toMatchObject([{ status: 'change' }]);
    const from = sim.requests.length;
    const run = await cli(['apply', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.filter((f) => f.code === 'plan/stale').map((f) => f.message)).toEqual([expect.stringMatching(/staging: .*nothing was written: a: gates: change in the saved plan, pending now/)]);
    expect(report.findings.find((f) => f.code === 'freeze/active')).toMatchObject({ flag: 'a' });
    expect(featureWrites(from)).toEqual([]);
    expect(sim.feature('a')).toBeUndefined();
    // --allow-pending does not let a stale plan through either
    const pending = await cli(['apply', '--plan', 'plan.json', '--allow-pending'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(pending.code).toBe(1);
    expect(featureWrites(from)).toEqual([]);
  });

  it('a rollback planned outside the freeze still lands during it', async () => {
    sim.setFeature('a', { boolean: true });
    const dir = flagRepo({ 'flags/a.yml': flag('a', 'false') });
    await savePlan(dir, THURSDAY);
    const run = await cli(['apply', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(run.code, run.stdout).toBe(0);
    expect((JSON.parse(run.stdout) as Report).findings.filter((f) => f.code === 'freeze/active' || f.code === 'plan/stale')).toEqual([]);
    expect(sim.feature('a')?.state).toBe('off');
  });

  it('a plan with a rollout and a rollback is held as a whole; planned again during the freeze, the rollback lands', async () => {
    sim.setFeature('down', { boolean: true });
    const dir = flagRepo({ 'flags/up.yml': flag('up', 'true'), 'flags/down.yml': flag('down', 'false') });
    await savePlan(dir, THURSDAY);
    const held = await cli(['apply', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(held.code).toBe(1);
    // only the rollout differs; the saved plan is still a claim about both, so neither is written
    expect((JSON.parse(held.stdout) as Report).findings.find((f) => f.code === 'plan/stale')?.message).toMatch(/nothing was written: up: gates: change in the saved plan, pending now$/);
    expect([sim.feature('up'), sim.feature('down')?.state]).toEqual([undefined, 'on']);
    const replanned = await cli(['plan', '--format', 'json', '--output', 'plan.json'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(replanned.code).toBe(1); // up is pending
    const run = await cli(['apply', '--plan', 'plan.json', '--allow-pending', '--format', 'json'], { cwd: dir, env: ENV, now: SATURDAY });
    expect(run.code, run.stdout).toBe(0);
    expect([sim.feature('up'), sim.feature('down')?.state]).toEqual([undefined, 'off']);
  });
});
