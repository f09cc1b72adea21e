// apply: 1,000 flag changes on a gitlab-features environment against the GitLab simulator at 20 ms per request.
// Wall time of `flagops apply` (a real process) as a ratio to the ideal — requests × 20 ms ÷ concurrency — and the
// request count against the number of changes.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, line, median } from './lib.mjs';
import { loadSimulator } from './sim.mjs';

export const CHANGES = 1000;
export const LATENCY_MS = 20;
const CONCURRENCY = 8; // flagops' default
export const TOKEN = 'glpat-bench-apply-0000000001';

/** One change per flag, each a single request: on, a percentage of actors, a percentage of time. */
function stateOf(i) {
  if (i % 3 === 0) return 'true';
  if (i % 3 === 1) return `{ percentage_of_actors: ${(i % 97) + 1} }`;
  return `{ percentage_of_time: ${(i % 89) + 1} }`;
}

export function makeRepo(dir, url, config = 'flagops.yml', changes = CHANGES) {
  writeFileSync(
    join(dir, config),
    `flags: flags\nenvironments:\n  - name: staging\n    backend: { type: gitlab-features, url: ${url}, token_env: FLAGOPS_STAGING_TOKEN }\n`,
  );
  if (config !== 'flagops.yml') return; // the flag files are already there
  mkdirSync(join(dir, 'flags'));
  for (let i = 0; i < changes; i++) {
    const name = `bench_apply_${i}`;
    // a percentage of actors needs the flag to declare its actor (else a warning per file)
    const actor = i % 3 === 1 ? 'actor: user\n' : '';
    writeFileSync(join(dir, 'flags', `${name}.yml`), `name: ${name}\ntype: gitlab_com_derisk\n${actor}environments:\n  staging: ${stateOf(i)}\n`);
  }
}

export function run(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, FLAGOPS_STAGING_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

const ROUNDS = 5;
export const SEED = { users: [{ username: 'root', admin: true }], tokens: [{ token: TOKEN, user: 'root', scopes: ['api'] }] };

/** One fresh simulator and repository; the first apply of 1,000 changes. */
async function firstApply(startGitlabSim, dir) {
  const sim = await startGitlabSim({ seed: SEED });
  mkdirSync(dir);
  makeRepo(dir, sim.url);
  sim.latency(LATENCY_MS);
  const result = await run(['apply', '--quiet'], dir);
  if (result.code !== 0) throw new Error(`flagops apply exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
  const writes = sim.requests.filter((r) => r.method !== 'GET').length;
  if (writes !== CHANGES) throw new Error(`expected ${CHANGES} writes, saw ${writes}`);
  return { sim, ms: result.ms, requests: sim.requests.length };
}

/** The floor, on a fresh simulator: node start + the same requests over bare node:http. */
async function floorRun(startGitlabSim) {
  const sim = await startGitlabSim({ seed: SEED });
  sim.latency(LATENCY_MS);
  try {
    const started = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'floor-apply.mjs'), sim.url, TOKEN, String(CHANGES), String(CONCURRENCY)], { stdio: 'inherit' });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`floor-apply exited ${code}`))));
    });
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await sim.close();
  }
}

export async function benchApply() {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-apply-'));
  let sim;
  try {
    const { startGitlabSim } = await loadSimulator();
    // flagops and the floor measured alternately (each on a fresh simulator), so that a slow spell of this shared
    // 2-core machine hits both; one run's wall time swings by ±5–10%
    const rounds = [];
    const floors = [];
    for (let k = 0; k < ROUNDS; k++) {
      const flagopsFirst = k % 2 === 0;
      if (!flagopsFirst) floors.push(await floorRun(startGitlabSim));
      await sim?.close();
      const round = await firstApply(startGitlabSim, join(dir, `repo-${k}`));
      sim = round.sim;
      rounds.push(round);
      if (flagopsFirst) floors.push(await floorRun(startGitlabSim));
    }
    const result = [...rounds].sort((a, b) => a.ms - b.ms)[Math.floor(ROUNDS / 2)];
    const requests = result.requests;
    const ideal = (requests * LATENCY_MS) / CONCURRENCY;
    line(
      `apply: ${CHANGES.toLocaleString('en')} changes, gitlab-features, ${LATENCY_MS} ms/request, median of ${ROUNDS}, ratio to ideal`,
      `${result.ms.toFixed(0)} / ${ideal.toFixed(0)} ms = ${(result.ms / ideal).toFixed(2)}×`,
      `target ≤ 1.25× (runs: ${rounds.map((r) => (r.ms / ideal).toFixed(2)).join(' ')})`,
    );
    line(
      `apply: requests vs changes (constant = requests − changes)`,
      `${requests} = ${CHANGES} + ${requests - CHANGES}`,
      'target: a constant per environment',
    );
    const floor = median(floors);
    line(
      'apply: vs floor (node + the same requests over bare node:http)',
      `${result.ms.toFixed(0)} / ${floor.toFixed(0)} ms = ${(result.ms / floor).toFixed(2)}×`,
      `floor itself: ${(floor / ideal).toFixed(2)}× of ideal (runs: ${floors.map((f) => (f / ideal).toFixed(2)).join(' ')})`,
    );
    await sim.close();
    sim = undefined;
    const last = await firstApply(startGitlabSim, join(dir, 'repo-noop'));
    sim = last.sim;
    const mark = sim.requests.length;
    const again = await run(['apply', '--quiet'], join(dir, 'repo-noop'));
    if (again.code !== 0) throw new Error(`second flagops apply exited ${again.code}: ${again.stderr.slice(0, 2000)}`);
    const rewrites = sim.requests.slice(mark).filter((r) => r.method !== 'GET').length;
    if (rewrites !== 0) throw new Error(`the second apply wrote ${rewrites} times`);
    line('apply: second run (nothing to change): requests, wall time', `${sim.requests.length - mark} in ${again.ms.toFixed(0)} ms`, 'target: no writes');
    // what the first run spent beyond its fixed start-up (node, bundle, validating the files, one read), as the
    // no-op run measures it: the part of the ratio that the request pipeline itself owns
    line(
      'apply: (first run − no-op run) as a ratio to ideal',
      `${(result.ms - again.ms).toFixed(0)} / ${ideal.toFixed(0)} ms = ${((result.ms - again.ms) / ideal).toFixed(2)}×`,
      'information',
    );
  } finally {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
