/**
 * `flagops history` against the GitLab simulator and a real git flag repository: a flag rolled out 0 → 25 → 50 →
 * 100 % in staging, then in production, one merge request per step, each applied by `flagops apply` (which records
 * the deployments history reads). Plus a record of a commit this clone lacks, the JSON schema and bad names.
 */
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { HISTORY_SCHEMA } from './history-schema.js';
import type { HistoryEntry } from './types.js';

const tree = useTmpTree();
const DAY = 86_400_000;
const T0 = new Date('2026-11-01T12:00:00Z');
const TOKEN = 'admin-token-0001';
let clock = T0;
let sim: GitlabSim;
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

beforeEach(async () => {
  clock = T0;
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: TOKEN, now: () => clock });
  for (const username of ['alice', 'bob', 'carol', 'dave']) sim.addUser({ username });
});
afterEach(() => closeCheckedSim(sim));

const env = { GL_TOKEN: TOKEN, CI_PROJECT_ID: String(FLAG_PROJECT_ID) };
const config = (url: string): string =>
  `flags: flags\ngitlab: { url: ${url}, token_env: GL_TOKEN }\nenvironments:\n  - name: staging\n    backend: { type: file, path: .flagops/state/staging.json }\n  - name: production\n    backend: { type: file, path: .flagops/state/production.json }\n`;
const pct = (p: number | boolean): string => (typeof p === 'boolean' ? String(p) : `{ percentage_of_actors: ${p} }`);
const flagFile = (staging: number | boolean, production: number | boolean): string =>
  `name: rollout_flag\ntype: beta\ndefault_enabled: false\nrollout_issue_url: https://gitlab.example.com/group/app/-/issues/1\nenvironments:\n  staging: ${pct(staging)}\n  production: ${pct(production)}\n`;

/** The rollout: one merge request per step (title, author, merger), each merged and applied a day after the last. */
const STEPS: [number | boolean, number | boolean, string, string, string][] = [
  [false, false, 'Add rollout_flag', 'alice', 'bob'],
  [25, false, 'rollout_flag: 25% in staging', 'alice', 'bob'],
  [50, false, 'rollout_flag: 50% in staging', 'carol', 'bob'],
  [true, false, 'rollout_flag: on in staging', 'carol', 'dave'],
  [true, 25, 'rollout_flag: 25% in production', 'alice', 'dave'],
  [true, 50, 'rollout_flag: 50% in production', 'alice', 'dave'],
  [true, true, 'rollout_flag: on in production', 'carol', 'bob'],
];

async function rollOut(): Promise<{ dir: string; shas: string[] }> {
  const dir = tree({});
  const repo = mirroredFlagRepo(sim, dir);
  const shas: string[] = [];
  for (const [i, [staging, production, title, author, mergedBy]] of STEPS.entries()) {
    clock = at(i);
    const files: Record<string, string> = { 'flags/rollout_flag.yml': flagFile(staging, production) };
    if (i === 0) Object.assign(files, { 'flagops.yml': config(sim.url), '.gitignore': '.flagops/\n', 'flags/other_flag.yml': 'name: other_flag\ntype: ops\nenvironments:\n  staging: true\n' });
    const sha = repo.commit(files);
    shas.push(sha);
    sim.addMergeRequest(FLAG_PROJECT_ID, { iid: i + 1, title, state: 'merged', author, mergedBy, commits: [sha], squashCommitSha: sha, mergedAt: clock.toISOString() });
    const applied = await cli(['apply'], { cwd: dir, env, now: clock });
    expect(applied.code, applied.stderr).toBe(0);
  }
  return { dir, shas };
}

type Row = [string, unknown, unknown, string | undefined, number | undefined, string | undefined, string | undefined, string | undefined];
const rows = (entries: HistoryEntry[]): Row[] =>
  entries.map((e) => [e.appliedAt, e.previous, e.state, e.change?.sha, e.mergeRequest?.iid, e.mergeRequest?.author, e.mergeRequest?.mergedBy, e.record.deployer]);

describe('flagops history (deployment records)', () => {
  it('lists each state of the flag per environment with its commit, merge request, author and merger', async () => {
    const { dir, shas } = await rollOut();
    const unknown = '0123456789abcdef0123456789abcdef01234567';
    sim.addDeployment(FLAG_PROJECT_ID, { environment: 'staging', sha: unknown, status: 'success', user: 'root', createdAt: at(7).toISOString() });
    clock = at(8);
    const seen = sim.requests.length;
    const run = await cli(['history', 'rollout_flag', '--format', 'json'], { cwd: dir, env, now: clock });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(HISTORY_SCHEMA, out), JSON.stringify(ajv.errors)).toBe(true);
    expect(out.flags.map((f: { flag: string }) => f.flag)).toEqual(['rollout_flag']);
    const [staging, production] = out.flags[0].environments;
    const iso = (d: number): string => at(d).toISOString();
    const p = (n: number) => ({ percentage_of_actors: n });
    expect(staging.environment).toBe('staging');
    expect(rows(staging.entries)).toEqual([
      [iso(0), undefined, false, shas[0], 1, 'alice', 'bob', 'root'],
      [iso(1), false, p(25), shas[1], 2, 'alice', 'bob', 'root'],
      [iso(2), p(25), p(50), shas[2], 3, 'carol', 'bob', 'root'],
      [iso(3), p(50), true, shas[3], 4, 'carol', 'dave', 'root'],
      [iso(7), undefined, undefined, undefined, undefined, undefined, undefined, 'root'],
    ]);
    expect(staging.entries[4]).toMatchObject({ verified: false, record: { sha: unknown, status: 'success' } });
    expect(staging.entries.slice(0, 4).every((e: HistoryEntry) => e.verified && e.record.status === 'success')).toBe(true);
    expect(production.environment).toBe('production');
    expect(rows(production.entries)).toEqual([
      [iso(0), undefined, false, shas[0], 1, 'alice', 'bob', 'root'],
      [iso(4), false, p(25), shas[4], 5, 'alice', 'dave', 'root'],
      [iso(5), p(25), p(50), shas[5], 6, 'alice', 'dave', 'root'],
      [iso(6), p(50), true, shas[6], 7, 'carol', 'bob', 'root'],
    ]);
    expect(staging.entries[1].mergeRequest).toEqual({
      iid: 2,
      url: `${sim.url}/group/flags/-/merge_requests/2`,
      title: 'rollout_flag: 25% in staging',
      author: 'alice',
      mergedBy: 'bob',
      mergedAt: iso(1),
    });
    expect(out.findings).toEqual([expect.objectContaining({ code: 'history/unverified', severity: 'warning', env: 'staging' })]);
    // reads only: a page of deployments per environment and one commit → merge requests lookup per changing commit
    const requests = sim.requests.slice(seen);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(requests.filter((r) => r.path.endsWith('/merge_requests')).length).toBe(7);
    expect(requests.filter((r) => r.path.includes('/repository/commits/') && r.path.includes(unknown)).length).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('prints text and markdown, filters environments, writes --output, and lists every flag without FLAG', async () => {
    const { dir, shas } = await rollOut();
    clock = at(8);
    const text = await cli(['history', 'rollout_flag', '--environment', 'production', '--live'], { cwd: dir, env, now: clock });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^ {4}2026-11-05 12:00 UTC {2}off → 25% of actors {2}${shas[4]!.slice(0, 8)} {2}!5 rollout_flag: 25% in production {2}by alice, merged by dave {2}\\(deployment #\\d+ by root\\)$`, 'm'),
    );
    expect(text.stdout).not.toContain('  staging\n');
    expect(text.stdout).toContain('    live: on\n');

    const md = await cli(['history', 'rollout_flag', '--format', 'markdown', '--output', 'history.json', '--env', 'staging'], { cwd: dir, env, now: clock });
    expect(md.code, md.stderr).toBe(0);
    // with --output the file gets the format asked for and stdout the text
    expect(readFileSync(join(dir, 'history.json'), 'utf8')).toContain(`| 2026-11-02 12:00 UTC | off → 25% of actors | \`${shas[1]!.slice(0, 8)}\` | [!2](${sim.url}/group/flags/-/merge_requests/2) rollout_flag: 25% in staging | by alice, merged by bob | deployment #`);
    expect(md.stdout).toContain('rollout_flag  flags/rollout_flag.yml\n  staging\n');

    const all = JSON.parse((await cli(['history', '--format', 'json'], { cwd: dir, env, now: clock })).stdout);
    expect(all.flags.map((f: { flag: string }) => f.flag)).toEqual(['other_flag', 'rollout_flag']);
    expect(all.flags[0].environments[0].entries.map((e: HistoryEntry) => [e.state, e.mergeRequest?.iid])).toEqual([[true, 1]]);
    expect(all.flags[0].environments[1].entries).toEqual([]);
  });

  it('refuses a bad flag name with exit 2 before any request', async () => {
    const dir = tree({ 'flagops.yml': config(sim.url) });
    for (const name of ['Bad-Name', '../flagops', 'a__b', 'x?y=1']) {
      const run = await cli(['history', name], { cwd: dir, env, now: clock });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not a flag name');
      expect(run.stderr).not.toContain('    at ');
    }
    expect(sim.requests).toEqual([]);
  });

  it('with a gitlab section, needs the flag repository (exit 2), and names an unknown flag', async () => {
    const { dir } = await rollOut();
    const seen = sim.requests.length;
    const noProject = await cli(['history'], { cwd: dir, env: { GL_TOKEN: TOKEN }, now: clock });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain('does not know the flag repository');
    const unknownFlag = await cli(['history', 'no_such_flag'], { cwd: dir, env, now: clock });
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('no_such_flag: no flag file defines it');
    expect(sim.requests.length).toBe(seen);

    // a record naming a ref instead of a commit id is never resolved by git: unverified
    sim.addDeployment(FLAG_PROJECT_ID, { environment: 'production', sha: 'HEAD', status: 'success', createdAt: at(9).toISOString() });
    const run = await cli(['history', 'rollout_flag', '--format', 'json', '--env', 'production'], { cwd: dir, env, now: at(10) });
    const entries = JSON.parse(run.stdout).flags[0].environments[0].entries as HistoryEntry[];
    expect(entries.at(-1)).toEqual({ appliedAt: at(9).toISOString(), verified: false, record: expect.objectContaining({ sha: 'HEAD' }) });
  });
});
