// A ring of 20 instances on this machine: 200 changes each (the apply benchmark's flag files), every instance its
// own simulated GitLab (20 ms per request) and its own `flagops apply` process, all 20 started at once — as the
// ring's 20 CI jobs would run if one machine ran them all. Baseline of the same run: one instance alone (measured
// before and after the ring). On GitLab each job has its own runner; here 20 processes share this machine's cores.
import { cpus, loadavg } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LATENCY_MS, makeRepo, run, SEED } from './apply.mjs';
import { line, median } from './lib.mjs';
import { loadSimulator } from './sim.mjs';

const INSTANCES = 20;
/** Changes per instance: fewer than the apply section's 1,000, to keep the 20 processes' run short. */
const RING_CHANGES = 200;

/** Applies `count` instances at once, each against its own fresh simulator; wall time of each and of all. */
async function applyInstances(startGitlabSim, dir, count, tag) {
  const sims = await Promise.all(Array.from({ length: count }, () => startGitlabSim({ seed: SEED })));
  try {
    sims.forEach((sim, i) => {
      makeRepo(dir, sim.url, `${tag}-${i + 1}.yml`, RING_CHANGES);
      sim.latency(LATENCY_MS);
    });
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const results = await Promise.all(sims.map((_, i) => run(['apply', '--quiet', '--config', `${tag}-${i + 1}.yml`], dir)));
    const total = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    const simCpu = (used.user + used.system) / 1000;
    results.forEach((r, i) => {
      if (r.code !== 0) throw new Error(`instance ${i + 1}: flagops apply exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      const writes = sims[i].requests.filter((q) => q.method !== 'GET').length;
      if (writes !== RING_CHANGES) throw new Error(`instance ${i + 1}: expected ${RING_CHANGES} writes, saw ${writes}`);
    });
    return { total, each: results.map((r) => r.ms), simCpu };
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
}

export async function benchRingApply() {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-ring-'));
  const load = loadavg()[0];
  try {
    const { startGitlabSim } = await loadSimulator();
    mkdirSync(dir, { recursive: true });
    makeRepo(dir, 'http://127.0.0.1:1', 'flagops.yml', RING_CHANGES); // the flag files (and a flagops.yml no run uses)
    const aloneBefore = await applyInstances(startGitlabSim, dir, 1, 'alone-a');
    const ring = await applyInstances(startGitlabSim, dir, INSTANCES, 'ring');
    const aloneAfter = await applyInstances(startGitlabSim, dir, 1, 'alone-b');
    const alone = (aloneBefore.total + aloneAfter.total) / 2;
    const each = median(ring.each);
    line(
      `apply ring: ${INSTANCES} instances × ${RING_CHANGES} changes, parallel processes, total vs one alone`,
      `${ring.total.toFixed(0)} / ${alone.toFixed(0)} ms = ${(ring.total / alone).toFixed(1)}×`,
      `${cpus().length} cores, load ${load.toFixed(1)} before; one after another: ${INSTANCES}×`,
    );
    line(
      `apply ring: per instance (median, max) vs one alone = slowdown`,
      `${each.toFixed(0)}, ${Math.max(...ring.each).toFixed(0)} / ${alone.toFixed(0)} ms = ${(each / alone).toFixed(1)}×`,
      `alone: ${aloneBefore.total.toFixed(0)} then ${aloneAfter.total.toFixed(0)} ms`,
    );
    // the 20 simulators share this process: its CPU time says how much of the ring's wall time they took
    line('apply ring: CPU of the 20 simulators (this process) vs the ring wall time', `${ring.simCpu.toFixed(0)} / ${ring.total.toFixed(0)} ms`, 'information');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
