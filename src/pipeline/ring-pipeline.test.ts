/**
 * The generated child pipeline for rings: one apply job per instance (parallel:matrix, 200 at most per definition),
 * environment `<ring>/<instance>`, a resource group per instance, `needs` on every job of the previous ring, a manual
 * production ring released by one job; every shape checked against GitLab's CI schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GITLAB_CI_SCHEMA } from '../../test/ci/templates.js';
import { DEFAULT_JOB_SETTINGS, generatePipeline, type ChangeSummary, type PipelineEnvironment } from './generate-pipeline.js';
import { MATRIX_LIMIT } from './ring-jobs.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Job = Record<string, any>;

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validateCi = ajv.compile(JSON.parse(readFileSync(GITLAB_CI_SCHEMA, 'utf8')) as object);
const settings = { ...DEFAULT_JOB_SETTINGS, command: 'npx --yes flagops@0.1.0', manualTiers: ['production' as const] };
const ROLLOUT: ChangeSummary = { lane: 'rollout', changes: 3, rollbacks: 0, base: 'a'.repeat(40), scheduled: false };
const ROLLBACK: ChangeSummary = { lane: 'rollback', changes: 3, rollbacks: 3, base: 'b'.repeat(40), scheduled: false };
const cells = (ring: string, n: number) => Array.from({ length: n }, (_, i) => `${ring}-cell-${i + 1}`);

/** canary (plain) → ring1 (a instances) → ring2 (b) → ring3 (c, production) → after (plain). */
function rings(a: number, b: number, c: number): PipelineEnvironment[] {
  return [
    { name: 'canary', after: null, tier: 'staging' },
    { name: 'ring1', after: 'canary', tier: 'other', instances: cells('r1', a) },
    { name: 'ring2', after: 'ring1', tier: 'other', instances: cells('r2', b) },
    { name: 'ring3', after: 'ring2', tier: 'production', instances: cells('r3', c) },
    { name: 'audit', after: 'ring3', tier: 'other' },
  ];
}

function generated(summary: ChangeSummary, environments: PipelineEnvironment[]) {
  const out = generatePipeline({ environments, summary, settings });
  const doc = parse(out.yaml) as Record<string, Job>;
  expect(validateCi(doc) ? '' : ajv.errorsText(validateCi.errors, { separator: '\n' })).toBe('');
  return { ...out, doc };
}

const matrixOf = (job: Job): string[] => job.parallel.matrix[0].FLAGOPS_INSTANCE;

describe('generatePipeline: rings', () => {
  it.each([1, 3, 5, 500])('%i instances per ring: GitLab schema-valid, one job per instance, in parts of at most 200', (n) => {
    const { doc, jobs, applyJobs } = generated(ROLLOUT, rings(n, n, n));
    expect(applyJobs).toBe(2 + 3 * n);
    for (const ring of ['ring1', 'ring2', 'ring3']) {
      const parts = jobs.filter((j) => j.startsWith(`flagops-apply-${ring}`));
      expect(parts).toHaveLength(Math.ceil(n / MATRIX_LIMIT));
      const instances = parts.flatMap((p) => matrixOf(doc[p]!));
      expect(instances).toEqual(cells(`r${ring.slice(-1)}`, n));
      for (const p of parts) expect(matrixOf(doc[p]!).length).toBeLessThanOrEqual(MATRIX_LIMIT);
    }
  });

  it('each instance job: environment <ring>/<instance>, its own resource group and report, apply --instance', () => {
    const { doc } = generated(ROLLOUT, rings(1, 3, 5));
    expect(doc['flagops-apply-ring2']).toMatchObject({
      stage: 'deploy',
      interruptible: false,
      environment: { name: 'ring2/$FLAGOPS_INSTANCE', action: 'prepare', deployment_tier: 'other' },
      resource_group: 'flagops-ring2-$FLAGOPS_INSTANCE',
      parallel: { matrix: [{ FLAGOPS_INSTANCE: ['r2-cell-1', 'r2-cell-2', 'r2-cell-3'] }] },
      variables: { FLAGOPS_PUBLISH_LIVE: 'true', FLAGOPS_LANE: 'rollout', CI_COMMIT_BEFORE_SHA: 'a'.repeat(40) },
      script: ['npx --yes flagops@0.1.0 apply --config "flagops.yml" --env "ring2" --instance "$FLAGOPS_INSTANCE" --report json=flagops-apply-ring2.$FLAGOPS_INSTANCE.json'],
      artifacts: { when: 'always', paths: ['flagops-apply-ring2.$FLAGOPS_INSTANCE.json', '.flagops/live/ring2/$FLAGOPS_INSTANCE.json'] },
    });
    expect(doc['flagops-apply-ring3']!.environment.deployment_tier).toBe('production');
  });

  it('rollout: each ring needs every job of the ring before it (all parts), a production ring waits on one release job', () => {
    const { doc, criticalPath } = generated(ROLLOUT, rings(1, 450, 5));
    expect(doc['flagops-apply-ring1']!.needs).toEqual(['flagops-apply-canary'].map((job) => ({ job, artifacts: false })));
    expect(doc['flagops-apply-ring2']!.needs).toEqual([{ job: 'flagops-apply-ring1', artifacts: false }]);
    expect(doc['flagops-apply-ring2:3']!.needs).toEqual([{ job: 'flagops-apply-ring1', artifacts: false }]);
    // ring3 is production and manual: its release job needs all three parts of ring2, its instances need the release
    expect(doc['flagops-release-ring3']).toMatchObject({
      when: 'manual',
      allow_failure: false,
      needs: ['flagops-apply-ring2', 'flagops-apply-ring2:2', 'flagops-apply-ring2:3'].map((job) => ({ job, artifacts: false })),
    });
    expect(doc['flagops-apply-ring3']!.needs).toEqual([{ job: 'flagops-release-ring3', artifacts: false }]);
    expect(doc['flagops-apply-ring3']!.when).toBeUndefined();
    expect(doc['flagops-apply-audit']!.needs).toEqual([{ job: 'flagops-apply-ring3', artifacts: false }]);
    expect(criticalPath).toEqual(['flagops-apply-canary', 'flagops-apply-ring1', 'flagops-apply-ring2', 'flagops-release-ring3', 'flagops-apply-ring3', 'flagops-apply-audit']);
  });

  it('rollout without manual tiers: the critical path is one job per ring (N rings, N jobs)', () => {
    const envs = rings(1, 3, 5).slice(1, 4).map((e, i) => ({ ...e, after: i === 0 ? null : e.after }));
    const out = generatePipeline({ environments: envs, summary: ROLLOUT, settings: { ...settings, manualTiers: [] } });
    expect(out.criticalPath).toEqual(['flagops-apply-ring1', 'flagops-apply-ring2', 'flagops-apply-ring3']);
  });

  it('rollback: every instance of every ring at once — no needs, no release job, nothing manual', () => {
    const { doc, jobs, criticalPath } = generated(ROLLBACK, rings(1, 3, 500));
    expect(jobs.some((j) => j.includes('release'))).toBe(false);
    for (const job of jobs) {
      expect(doc[job]!.needs, job).toEqual([]);
      expect(doc[job]!.when, job).toBeUndefined();
      expect(doc[job]!.variables.FLAGOPS_LANE).toBe('rollback');
    }
    expect(criticalPath).toHaveLength(1);
  });

  it('a plain environment after a plain one keeps the short needs form', () => {
    const { doc } = generated(ROLLOUT, [
      { name: 'dev', after: null, tier: 'development' },
      { name: 'staging', after: 'dev', tier: 'staging' },
    ]);
    expect(doc['flagops-apply-staging']!.needs).toEqual(['flagops-apply-dev']);
  });

  it('verify on a ring: one verify job after every instance job, from the first instance report; the next ring waits for it', () => {
    const envs = rings(3, 2, 2).map((e) => (e.name === 'ring1' ? { ...e, verify: true } : e));
    const { doc } = generated(ROLLOUT, envs);
    expect(doc['flagops-verify-ring1']).toMatchObject({
      needs: ['flagops-apply-ring1'],
      environment: { name: 'ring1', action: 'verify' },
    });
    expect(doc['flagops-verify-ring1']!.script[0]).toContain('--apply-report flagops-apply-ring1.r1-cell-1.json');
    expect(doc['flagops-apply-ring2']!.needs).toEqual([{ job: 'flagops-verify-ring1', artifacts: false }]);
  });
});
