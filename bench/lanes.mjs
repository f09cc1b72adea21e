// The lanes from merge to production, measured under gitlab-ci-local by the end-to-end test of the generated pipeline
// (test/ci/generated-pipeline.e2e.test.ts, dev → staging → production, production manual for rollouts): jobs on the
// critical path (the generator counted; the trigger job is a bridge and runs nothing) and the seconds of those jobs as
// gitlab-ci-local reports them. Baseline of the same run: the same pipeline without the fast lane.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, ROOT } from './lib.mjs';

export function benchLanes() {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-lanes-'));
  const out = join(dir, 'lanes.jsonl');
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/ci/generated-pipeline.e2e.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, FLAGOPS_LANES_OUT: out },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`the generated-pipeline e2e test failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
    const figures = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const get = (pipeline, lane) => figures.find((f) => f.pipeline === pipeline && f.lane === lane);
    for (const pipeline of ['generated', 'fast lane']) {
      const rollout = get(pipeline, 'rollout');
      const rollback = get(pipeline, 'rollback');
      line(
        `lanes (${pipeline === 'generated' ? 'generated pipeline' : 'with the fast lane'}): merge → production, rollout / rollback`,
        `${rollout.jobs} / ${rollback.jobs} jobs`,
        `${rollout.pathSeconds.toFixed(1)} / ${rollback.pathSeconds.toFixed(1)} s of jobs; whole pipeline ${rollout.seconds.toFixed(1)} / ${rollback.seconds.toFixed(1)} s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
