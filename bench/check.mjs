// `flagops check` of 200 changed flags introduced by 20 MRs across 3 environments: GitLab requests and wall time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, line } from './lib.mjs';
import { loadSimulator } from './sim.mjs';

const FLAGS = 200;
const MRS = 20;
const ENVS = ['dev', 'staging', 'production'];
const RINGS = Array.from({ length: 20 }, (_, i) => `ring${i + 1}`);
const CELLS = 5;

function git(dir, ...args) {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b.invalid', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b.invalid' },
  }).trim();
}

function run(args, options) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/**
 * One `flagops check` of FLAGS changed flags by MRS merge requests, across `envs` environments; with `instances`,
 * each environment is a ring of that many instances (sharing the environment's deployment environment).
 */
async function checkScenario(startGitlabSim, { envs: ENVS, instances = 0 }) {
  const sim = await startGitlabSim({ now: () => new Date('2026-11-21T12:00:00Z') });
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-check-'));
  const where = (e) =>
    instances > 0
      ? `    instances:\n${Array.from({ length: instances }, (_, i) => `      - { name: cell-${i + 1}, backend: { type: file, path: state/${e}-${i + 1}.json } }\n`).join('')}`
      : `    backend: { type: file, path: state/${e}.json }\n`;
  try {
    sim.addUser({ username: 'bot' });
    sim.addToken('bench-token', { user: 'bot', scopes: ['api'] });
    sim.addGroup({ path: 'group' });
    sim.addProject({ path: 'group/app', id: 10 });
    sim.addProject({ path: 'group/flags', id: 20 });
    const shas = [];
    for (let i = 0; i <= MRS; i++) {
      const sha = i.toString(16).padStart(40, 'a');
      sim.addCommit(10, { sha, parents: i === 0 ? [] : [shas[i - 1]] });
      shas.push(sha);
    }
    for (let m = 1; m <= MRS; m++) sim.addMergeRequest(10, { iid: m, state: 'merged', mergeCommitSha: shas[m] });
    // each environment runs a different later commit: no merge_base answer can be shared between environments
    ENVS.forEach((e, k) => {
      const sha = `d${k}`.padEnd(40, 'd');
      sim.addCommit(10, { sha, parents: [k === 0 ? shas[MRS] : `d${k - 1}`.padEnd(40, 'd')] });
      sim.addDeployment(10, { environment: `${e}-deploy`, sha, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    });
    sim.addMergeRequest(20, { iid: 1, state: 'opened', description: 'bench' });

    writeFileSync(
      join(dir, 'flagops.yml'),
      `flags: flags\ngitlab: { url: ${sim.url} }\nenvironments:\n${ENVS.map((e) => `  - name: ${e}\n${where(e)}    deployment: { environment: ${e}-deploy }\n`).join('')}`,
    );
    mkdirSync(join(dir, 'flags'));
    const file = (i, on) =>
      `name: bench_flag_${i}\ntype: wip\nintroduced_by_url: ${sim.url}/group/app/-/merge_requests/${(i % MRS) + 1}\nenvironments:\n${ENVS.map((e) => `  ${e}: ${on}`).join('\n')}\n`;
    for (let i = 0; i < FLAGS; i++) writeFileSync(join(dir, 'flags', `bench_flag_${i}.yml`), file(i, false));
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const base = git(dir, 'rev-parse', 'HEAD');
    for (let i = 0; i < FLAGS; i++) writeFileSync(join(dir, 'flags', `bench_flag_${i}.yml`), file(i, true));

    const before = sim.requests.length;
    const deploymentsBefore = sim.requests.filter((r) => r.path.includes('/deployments')).length;
    const result = await run(['check', '--quiet'], {
      cwd: dir,
      env: { ...process.env, FLAGOPS_GITLAB_TOKEN: 'bench-token', CI_PROJECT_ID: '20', CI_MERGE_REQUEST_IID: '1', CI_MERGE_REQUEST_DIFF_BASE_SHA: base },
    });
    if (result.code !== 0) throw new Error(`check exited ${result.code}: ${result.stderr}`);
    return {
      requests: sim.requests.length - before,
      deployments: sim.requests.filter((r) => r.path.includes('/deployments')).length - deploymentsBefore,
      ms: result.ms,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCheck() {
  const { startGitlabSim } = await loadSimulator();
  const result = await checkScenario(startGitlabSim, { envs: ENVS });
  const budget = 3 * MRS * ENVS.length;
  line(`check: ${FLAGS} flags, ${MRS} MRs × ${ENVS.length} envs: GitLab requests`, `${result.requests}`, `target ≤ ${budget} + a constant`);
  line(`check: ${FLAGS} flags, ${MRS} MRs × ${ENVS.length} envs: wall time`, `${result.ms.toFixed(0)} ms`, '');
}

/** 200 flags across 20 rings of 5 instances, against the same 20 as plain environments (one instance each). */
export async function benchCheckRings() {
  const { startGitlabSim } = await loadSimulator();
  const plain = await checkScenario(startGitlabSim, { envs: RINGS });
  const rings = await checkScenario(startGitlabSim, { envs: RINGS, instances: CELLS });
  line(
    `check: ${FLAGS} flags, ${MRS} MRs × ${RINGS.length} rings of ${CELLS}: requests vs plain envs`,
    `${rings.requests} / ${plain.requests}`,
    `deployment lookups ${rings.deployments} / ${plain.deployments} (per ring, not per instance)`,
  );
  line(`check: ${RINGS.length} rings of ${CELLS}: wall time vs plain envs`, `${rings.ms.toFixed(0)} / ${plain.ms.toFixed(0)} ms`, '');
}
