// Shared benchmark helpers: wall time of a command (median of runs), peak RSS, temp repositories.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** FLAGOPS_BENCH_BIN: another build's bin (e.g. an older commit's) to measure with the same benchmarks. */
export const BIN = process.env.FLAGOPS_BENCH_BIN ?? join(ROOT, 'bin', 'flagops.cjs');

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of `node args` over `runs` runs (after one warm-up). */
export function timeNode(args, { runs = 7, cwd = ROOT, env = {}, once = false } = {}) {
  const times = [];
  for (let i = 0; i <= (once ? 0 : runs); i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0 || once) times.push(ms);
  }
  return median(times);
}

/**
 * Two commands measured alternately (A, B, A, B…), so that a slow spell of the machine hits both: the medians of
 * each, and the median of the ratios of each pair (A over the B run right after it), which is what the benchmarks
 * report as the ratio — on a machine whose speed drifts between runs, a pair's ratio shares its spell.
 */
export function timePair(a, b, { runs = 9, cwd = ROOT } = {}) {
  const ta = [];
  const tb = [];
  const ratios = [];
  for (let i = 0; i <= runs; i++) {
    const x = timeNode(a, { runs: 0, cwd, once: true });
    const y = timeNode(b, { runs: 0, cwd, once: true });
    if (i > 0) {
      ta.push(x);
      tb.push(y);
      ratios.push(x / y);
    }
  }
  return [median(ta), median(tb), median(ratios)];
}

/** Peak RSS in MB of `node args`, read by a hook at exit. */
export function peakRss(args, { cwd = ROOT } = {}) {
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'rss-hook.mjs'), ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /flagops-bench-maxrss-kb=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no RSS reading: ${r.stderr}`);
  return Number(m[1]) / 1024;
}

/**
 * A repository with `count` flags × `envs` environments on file backends. `findings`: every file carries warnings,
 * as real GitLab repositories do: the historical `development` type (deprecated) and no `actor` next to
 * percentage_of_actors (`actor/undeclared`, once per environment with a percentage).
 */
export function makeRepo({ count, envs = 5, findings = false }) {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-'));
  const names = Array.from({ length: envs }, (_, i) => `env${i}`);
  writeFileSync(
    join(dir, 'flagops.yml'),
    `flags: flags\nenvironments:\n${names.map((n) => `  - name: ${n}\n    backend: { type: file, path: state/${n}.json }\n`).join('')}`,
  );
  for (let i = 0; i < count; i++) {
    const name = `bench_flag_${i}`;
    const sub = join(dir, 'flags', `g${i % 50}`);
    if (i < 50) mkdirSync(sub, { recursive: true });
    const states = names
      .map((n, j) => (j === 0 ? `  ${n}: true` : j === envs - 1 ? `  ${n}: false` : `  ${n}:\n    percentage_of_actors: ${(i % 90) + 1}\n    actors:\n      users: [user${i}]`))
      .join('\n');
    writeFileSync(
      join(sub, `${name}.yml`),
      `---\nname: ${name}\ndescription: Benchmark flag ${i}\nintroduced_by_url: https://gitlab.example.com/g/app/-/merge_requests/${i + 1}\nrollout_issue_url: https://gitlab.example.com/g/app/-/issues/${i + 1}\nmilestone: '17.${i % 12}'\ngroup: group::bench\ntype: ${findings ? 'development' : 'gitlab_com_derisk'}\ndefault_enabled: false\n${findings ? '' : 'actor: user\n'}environments:\n${states}\n`,
    );
  }
  return dir;
}

export function line(label, value, target) {
  console.log(`${label.padEnd(62)} ${value.padStart(22)}   ${target}`);
}
