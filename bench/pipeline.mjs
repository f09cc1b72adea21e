// flagops pipeline at scale, with 200 flag files of which 100 changed in the push:
// - 5 rings of 500 instances each (`instances:`, one matrix job per 200 instances), against the floor of reading and
//   writing the same YAML (bench/floor-yaml.mjs);
// - the same 2,500 instances written as plain environments (one job each), against `flagops --version` (node start +
//   the CLI bundle).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, line, ROOT, timePair } from './lib.mjs';
import { loadSimulator } from './sim.mjs';

const RINGS = 5;
const CELLS = 500;
const FLAGS = 200;

function makePipelineRepo({ rings = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-pipeline-'));
  const envs = [];
  for (let r = 1; rings && r <= RINGS; r++) {
    const cells = Array.from({ length: CELLS }, (_, c) => `      - { name: cell${String(c + 1).padStart(3, '0')}, backend: { type: file, path: state/ring${r}-${c + 1}.json } }\n`);
    envs.push(`  - name: ring${r}\n    instances:\n${cells.join('')}`);
  }
  for (let r = 1; !rings && r <= RINGS; r++) {
    for (let c = 1; c <= CELLS; c++) {
      const name = `ring${r}-cell${String(c).padStart(3, '0')}`;
      // every instance of a ring waits for the first instance of the ring before it
      envs.push(`  - name: ${name}\n    after: ${r === 1 ? 'null' : `ring${r - 1}-cell001`}\n    backend: { type: file, path: state/${name}.json }\n`);
    }
  }
  writeFileSync(join(dir, 'flagops.yml'), `flags: flags\nenvironments:\n${envs.join('')}`);
  mkdirSync(join(dir, 'flags'));
  const write = (rollout) => {
    for (let i = 0; i < FLAGS; i++) {
      const on = rollout && i % 2 === 0;
      writeFileSync(join(dir, 'flags', `bench_flag_${i}.yml`), `name: bench_flag_${i}\ntype: beta\nenvironments:\n  ${rings ? 'ring1' : 'ring1-cell001'}: ${on}\n`);
    }
  };
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b.invalid', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b.invalid' } });
  git('init', '-q');
  write(false);
  git('add', '-A');
  git('commit', '-qm', 'base');
  write(true);
  git('commit', '-qam', 'push');
  return dir;
}

export function benchPipeline() {
  const dir = makePipelineRepo();
  try {
    const args = [BIN, 'pipeline', '--config', join(dir, 'flagops.yml'), '--base', 'HEAD~1', '--output', join(dir, 'child.yml')];
    const [ours, floor] = timePair(args, [BIN, '--version'], { runs: 3, cwd: dir });
    const size = readFileSync(join(dir, 'child.yml')).length;
    line(`pipeline: ${RINGS} × ${CELLS} environments, ${FLAGS / 2} changed flags, vs --version`, `${ours.toFixed(0)} / ${floor.toFixed(0)} ms = ${(ours / floor).toFixed(1)}×`, `child ${(size / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchPipelineRings() {
  const dir = makePipelineRepo({ rings: true });
  try {
    const child = join(dir, 'child.yml');
    const args = [BIN, 'pipeline', '--config', join(dir, 'flagops.yml'), '--base', 'HEAD~1', '--output', child, '--manual', 'production', '--tier', 'ring5=production'];
    execFileSync(process.execPath, args, { cwd: dir });
    const floorArgs = [join(ROOT, 'bench', 'floor-yaml.mjs'), ROOT, join(dir, 'flagops.yml'), child, join(dir, 'floor.yml')];
    const [ours, floor] = timePair(args, floorArgs, { runs: 3, cwd: dir });
    const size = readFileSync(child).length;
    const json = JSON.parse(execFileSync(process.execPath, [...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' }));
    line(
      `pipeline: ${RINGS} rings × ${CELLS} instances, ${FLAGS / 2} changed flags, vs YAML floor`,
      `${ours.toFixed(0)} / ${floor.toFixed(0)} ms = ${(ours / floor).toFixed(1)}×`,
      `child ${(size / 1024).toFixed(0)} KiB, ${json.jobs.length} job definitions → ${json.applyJobs} apply jobs, critical path ${json.criticalPath.length}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RECORD_LATENCY_MS = 20;

/**
 * The same 5 × 500 rings with a `gitlab` section: each instance's base is its last applied record (two requests per
 * instance, 16 at a time) from the simulator answering in 20 ms — against the ideal, requests × 20 ms ÷ 16.
 */
export async function benchPipelineRecords() {
  const dir = makePipelineRepo({ rings: true });
  const { startGitlabSim } = await loadSimulator();
  const sim = await startGitlabSim();
  try {
    sim.addUser({ username: 'bot' });
    sim.addToken('bench-token', { user: 'bot', scopes: ['read_api'] });
    sim.addGroup({ path: 'group' });
    sim.addProject({ path: 'group/flags', id: 20 });
    const config = readFileSync(join(dir, 'flagops.yml'), 'utf8').replace('flags: flags\n', `flags: flags\ngitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }\n`);
    writeFileSync(join(dir, 'flagops.yml'), config);
    const base = execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: dir, encoding: 'utf8' }).trim();
    for (let r = 1; r <= RINGS; r++) {
      for (let c = 1; c <= CELLS; c++) sim.addDeployment(20, { environment: `ring${r}/cell${String(c).padStart(3, '0')}`, sha: base, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    }
    sim.latency(RECORD_LATENCY_MS);
    const before = sim.requests.length;
    const started = process.hrtime.bigint();
    // spawned, not spawnSync: the simulator answers from this process
    const r = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'pipeline', '--config', join(dir, 'flagops.yml'), '--output', join(dir, 'child.yml'), '--format', 'json'], {
        cwd: dir,
        env: { PATH: process.env.PATH, FLAGOPS_GITLAB_TOKEN: 'bench-token', CI_PROJECT_ID: '20', CI_COMMIT_BEFORE_SHA: base },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('error', reject);
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`flagops pipeline exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
    const requests = sim.requests.length - before;
    const ideal = (requests * RECORD_LATENCY_MS) / 16;
    line(
      `pipeline: ${RINGS} rings × ${CELLS}, bases from the records, ${RECORD_LATENCY_MS} ms/request, vs ideal`,
      `${ms.toFixed(0)} / ${ideal.toFixed(0)} ms = ${(ms / ideal).toFixed(2)}×`,
      `${requests} requests (${(requests / (RINGS * CELLS)).toFixed(1)} per instance), lane ${JSON.parse(r.stdout).lane}`,
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
