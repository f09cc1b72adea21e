/**
 * The generated child pipeline for rings under gitlab-ci-local: canary → ring1 (3 instances) → ring2 (2 instances,
 * production, released by hand). Each instance is its own simulated GitLab with its own administrator token, stored
 * as a CI/CD variable scoped to `ring1/*` or `ring2/*`, the environments of the ring's matrix jobs. A rollout goes
 * ring by ring (every instance job of ring1 finished before ring2's release job starts); a rollback then applies
 * every instance at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/create-backend.js';
import { loadConfig } from '../../src/config/load-config.js';
import { instanceTargets } from '../../src/config/instances.js';
import { startGitlabSim, type GitlabSim } from '../gitlab-sim/index.js';
import { BIN } from '../helpers/run-cli.js';
import { useTmpTree } from '../helpers/tmp-tree.js';
import { artifact, FLAGOPS_PROJECT, flagRepo, runPipeline, repoFolders } from './pipeline.js';

const tree = useTmpTree();
const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
const TOKENS = { canary: 'glpat-ring-CANARY-0001', ring1: 'glpat-ring-RING1-0002', ring2: 'glpat-ring-RING2-0003' };
const LAYOUT = { canary: 1, ring1: 3, ring2: 2 } as const;
type Ring = keyof typeof LAYOUT;

let sims: Record<Ring, GitlabSim[]>;
beforeEach(async () => {
  const start = async (ring: Ring) =>
    Promise.all(
      Array.from({ length: LAYOUT[ring] }, async () => {
        const sim = await startGitlabSim();
        sim.addUser({ username: 'root', admin: true });
        sim.addToken(TOKENS[ring], { user: 'root', scopes: ['api'] });
        return sim;
      }),
    );
  sims = { canary: await start('canary'), ring1: await start('ring1'), ring2: await start('ring2') };
});
afterEach(async () => {
  const all = Object.values(sims).flat();
  expect(all.flatMap((s) => s.unexpected)).toEqual([]);
  await Promise.all(all.map((s) => s.close()));
});

const config = () => {
  const ring = (name: 'ring1' | 'ring2') =>
    `  - name: ${name}\n    instances:\n${sims[name].map((s, i) => `      - { name: cell-${i + 1}, backend: { type: gitlab-features, url: ${s.url}, token_env: FLAGOPS_${name.toUpperCase()}_TOKEN } }\n`).join('')}`;
  return `flags: flags\nenvironments:\n  - name: canary\n    backend: { type: gitlab-features, url: ${sims.canary[0]!.url}, token_env: FLAGOPS_CANARY_TOKEN }\n${ring('ring1')}${ring('ring2')}`;
};
const flag = (state?: boolean) =>
  `name: ring_flag\ntype: beta\nenvironments:${state === undefined ? ' {}' : `\n  canary: ${state}\n  ring1: ${state}\n  ring2: ${state}`}\n`;
/** ring_flag's live state on every instance, read with flagops' own backends. */
async function liveOf(repoDir: string): Promise<Record<string, unknown>> {
  const loaded = loadConfig({ file: join(repoDir, 'flagops.yml'), env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  const vars = { FLAGOPS_CANARY_TOKEN: TOKENS.canary, FLAGOPS_RING1_TOKEN: TOKENS.ring1, FLAGOPS_RING2_TOKEN: TOKENS.ring2 };
  const out: Record<string, unknown> = {};
  for (const env of loaded.config.environments) {
    for (const target of instanceTargets(env)) out[target.label] = (await createBackend({ env: target, vars }).backend.read()).get('ring_flag')?.state;
  }
  return out;
}
const gitlabCi = (inputs: Record<string, unknown> = {}) =>
  stringify({
    include: [{ component: `$CI_SERVER_FQDN/${FLAGOPS_PROJECT}/pipeline@${VERSION}`, inputs: { command: `node ${BIN}`, manual_tiers: 'production', tiers: 'ring2=production', ...inputs } }],
    stages: ['deploy'],
  });
const GITLAB_CI = gitlabCi();

describe('the generated ring pipeline under gitlab-ci-local', { timeout: 240_000 }, () => {
  it('rolls out ring by ring (matrix jobs per instance, environment-scoped tokens), then rolls back every instance at once', async () => {
    const { repoDir, home } = repoFolders(tree({}));
    const repo = flagRepo({
      dir: repoDir,
      home,
      files: { 'flagops.yml': config(), 'flags/ring_flag.yml': flag(), '.gitlab-ci.yml': GITLAB_CI },
      // each ring's token reaches only the jobs of that ring's environments
      variables: { FLAGOPS_CANARY_TOKEN: { canary: TOKENS.canary }, FLAGOPS_RING1_TOKEN: { 'ring1/*': TOKENS.ring1 }, FLAGOPS_RING2_TOKEN: { 'ring2/*': TOKENS.ring2 } },
    });
    const push = async (state: boolean, manual: string[]) => {
      const before = repo.git('rev-parse', 'HEAD');
      const head = repo.commit({ 'flags/ring_flag.yml': flag(state) }, state ? 'roll out' : 'roll back');
      repo.git('update-ref', 'refs/remotes/origin/main', head);
      return runPipeline({ dir: repoDir, home, kind: 'push', variables: { CI_COMMIT_BEFORE_SHA: before }, manual, timeoutMs: 200_000, schemaValidation: true });
    };
    const live = () => liveOf(repoDir);
    const child = () => parse(artifact(repoDir, 'flagops-pipeline', 'flagops-pipeline.yml')) as Record<string, { needs?: unknown[]; when?: string }>;

    const rollout = await push(true, ['flagops-release-ring2']);
    expect(rollout.code, rollout.log).toBe(0);
    expect(Object.keys(child()).filter((k) => k !== 'stages')).toEqual(['flagops-apply-canary', 'flagops-apply-ring1', 'flagops-release-ring2', 'flagops-apply-ring2']);
    const log = rollout.log;
    const passed = [...log.matchAll(/PASS\s+(\[flagops-apply\] -> \S+(?: \[[^\]]+\])?)/g)].map((m) => m[1]);
    expect(passed.filter((j) => j!.includes('flagops-apply-ring')), log).toHaveLength(5);
    expect(log).not.toMatch(/FAIL\s/);
    const last = (what: RegExp) => Math.max(...[...log.matchAll(what)].map((m) => m.index));
    const first = (what: RegExp) => Math.min(...[...log.matchAll(what)].map((m) => m.index));
    expect(last(/flagops-apply-ring1\S*(?: \[[^\]]+\])?\s+finished/g)).toBeLessThan(first(/flagops-release-ring2\s+starting/g));
    expect(last(/flagops-apply-canary\s+finished/g)).toBeLessThan(first(/flagops-apply-ring1\S*(?: \[[^\]]+\])?\s+starting/g));
    expect(await live()).toEqual({ canary: true, 'ring1/cell-1': true, 'ring1/cell-2': true, 'ring1/cell-3': true, 'ring2/cell-1': true, 'ring2/cell-2': true });

    const rollback = await push(false, []);
    expect(rollback.code, rollback.log).toBe(0);
    expect(rollback.log).not.toMatch(/FAIL\s/);
    const back = child();
    expect(Object.keys(back).filter((k) => k !== 'stages')).toEqual(['flagops-apply-canary', 'flagops-apply-ring1', 'flagops-apply-ring2']);
    for (const [name, job] of Object.entries(back)) if (name !== 'stages') expect(job.needs, name).toEqual([]);
    expect(await live()).toEqual({ canary: false, 'ring1/cell-1': false, 'ring1/cell-2': false, 'ring1/cell-3': false, 'ring2/cell-1': false, 'ring2/cell-2': false });
    for (const token of Object.values(TOKENS)) expect(rollout.log + rollback.log).not.toContain(token);
  });
});

describe('the rollback fast lane with rings under gitlab-ci-local', { timeout: 240_000 }, () => {
  it('the generator job alone rolls back every instance of every ring; the instance jobs confirm', async () => {
    const { repoDir, home } = repoFolders(tree({}));
    // the fast lane's price: tokens not scoped to the environments, so the generator job sees them
    const repo = flagRepo({
      dir: repoDir,
      home,
      files: { 'flagops.yml': config(), 'flags/ring_flag.yml': flag(), '.gitlab-ci.yml': gitlabCi({ fast_lane: true }) },
      variables: { FLAGOPS_CANARY_TOKEN: TOKENS.canary, FLAGOPS_RING1_TOKEN: TOKENS.ring1, FLAGOPS_RING2_TOKEN: TOKENS.ring2 },
    });
    const push = async (state: boolean, manual: string[]) => {
      const before = repo.git('rev-parse', 'HEAD');
      const head = repo.commit({ 'flags/ring_flag.yml': flag(state) }, state ? 'roll out' : 'roll back');
      repo.git('update-ref', 'refs/remotes/origin/main', head);
      return runPipeline({ dir: repoDir, home, kind: 'push', variables: { CI_COMMIT_BEFORE_SHA: before }, manual, timeoutMs: 200_000 });
    };
    const rollout = await push(true, ['flagops-release-ring2']);
    expect(rollout.code, rollout.log).toBe(0);
    expect(rollout.log).not.toContain('fast lane:');
    const rollback = await push(false, []);
    expect(rollback.code, rollback.log).toBe(0);
    expect(rollback.log).not.toMatch(/FAIL\s/);
    const generatorDone = rollback.log.search(/flagops-pipeline\s+finished in/);
    const targets = ['canary', 'ring1/cell-1', 'ring1/cell-2', 'ring1/cell-3', 'ring2/cell-1', 'ring2/cell-2'];
    for (const target of targets) {
      const at = rollback.log.search(new RegExp(`flagops-pipeline\\s+> fast lane: ${target} applied in `));
      expect(at, target).toBeGreaterThan(0);
      expect(at, target).toBeLessThan(generatorDone);
    }
    // every child job starts after the generator finished, and finds nothing left to change
    expect(rollback.log.indexOf('[flagops-apply] ->')).toBeGreaterThan(generatorDone);
    expect([...rollback.log.matchAll(/flagops-apply-\S+(?: \[[^\]]+\])?\s+>\s+nothing to change/g)]).toHaveLength(targets.length);
    expect(Object.values(await liveOf(repoDir))).toEqual(targets.map(() => false));
    for (const token of Object.values(TOKENS)) expect(rollout.log + rollback.log).not.toContain(token);
  });
});
