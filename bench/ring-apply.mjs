// A ring of 20 instances on this machine: 1,000 changes each (the apply benchmark's repository), every instance its
// own simulated GitLab (20 ms per request) and its own `flagops apply` process, all 20 started at once — as the
// ring's 20 CI jobs would run if one machine ran them all. Baseline of the same run: one instance alone (measured
// before and after the ring). On GitLab each job has its own runner; here 20 processes share this machine's cores.
import { cpus } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANGES, LATENCY_MS, makeRepo, run, SEED } from './apply.mjs';
import { line, median } from './lib.mjs';
import { loadSimulator } from './sim.mjs';

const INSTANCES = 20;

/** Applies `count` instances at once, each against its own fresh simulator; wall time of each and of all. */
async function applyInstances(startGitlabSim, dir, count, tag) {
  const sims = await Promise.all(Array.from({ length: count }, () => startGitlabSim({ seed: SEED })));
  try {
    sims.forEach((sim, i) => {
      makeRepo(dir, sim.url, `${tag}-${i + 1}.yml`);
      sim.latency(LATENCY_MS);
    });
    const started = process.hrtime.bigint();
    const results = await Promise.all(sims.map((_, i) => run(['apply', '--quiet', '--config', `${tag}-${i + 1}.yml`], dir)));
    const total = Number(process.hrtime.bigint() - started) / 1e6;
    results.forEach((r, i) => {
      if (r.code !== 0) throw new Error(`instance ${i + 1}: flagops apply exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      const writes = sims[i].requests.filter((q) => q.method !== 'GET').length;
      if (writes !== CHANGES) throw new Error(`instance ${i + 1}: expected ${CHANGES} writes, saw ${writes}`);
    });
    return { total, each: results.map((r) => r.ms) };
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
}

export async function benchRingApply() {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-ring-'));
  try {
    const { startGitlabSim } = await loadSimulator();
    mkdirSync(dir, { recursive: true });
    makeRepo(dir, 'http://127.0.0.1:1'); // the flag files (and a flagops.yml no run uses)
    const aloneBefore = await applyInstances(startGitlabSim, dir, 1, 'alone-a');
    const ring = await applyInstances(startGitlabSim, dir, INSTANCES, 'ring');
    const aloneAfter = await applyInstances(startGitlabSim, dir, 1, 'alone-b');
    const alone = (aloneBefore.total + aloneAfter.total) / 2;
    const each = median(ring.each);
    line(
      `apply ring: ${INSTANCES} instances × ${CHANGES.toLocaleString('en')} changes, parallel processes, total vs one alone`,
      `${ring.total.toFixed(0)} / ${alone.toFixed(0)} ms = ${(ring.total / alone).toFixed(1)}×`,
      `${cpus().length} cores; one after another would be ${INSTANCES}×`,
    );
    line(
      `apply ring: per instance (median, max) vs one alone = slowdown`,
      `${each.toFixed(0)}, ${Math.max(...ring.each).toFixed(0)} / ${alone.toFixed(0)} ms = ${(each / alone).toFixed(1)}×`,
      `alone: ${aloneBefore.total.toFixed(0)} then ${aloneAfter.total.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
