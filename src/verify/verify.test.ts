import { describe, expect, it } from 'vitest';
import type { GitlabPort, Pipeline } from '../gitlab/port.js';
import { appliedChanges, changedFlagsVariable } from './applied-changes.js';
import { pollDelay, runDownstream } from './downstream.js';
import { parseRevertMarker, renderRevert, revertBranch, revertMarker } from './revert-mr.js';
import { rollbackDecision } from './rollback.js';

const SHA = 'c0ffee'.padEnd(40, '0');

describe('the apply report', () => {
  const report = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      command: 'apply',
      commit: SHA,
      environments: [{ env: 'staging', flags: [
        { flag: 'a', file: 'flags/a.yml', live: null, desired: true, status: 'applied' },
        { flag: 'b', file: 'flags/b.yml', live: { percentage_of_time: 25 }, desired: { percentage_of_time: 50 }, status: 'applied' },
        { flag: 'c', file: 'flags/c.yml', live: true, desired: true, status: 'in-sync' },
      ] }],
      ...over,
    });

  it('gives the applied flags of the environment, with their state before', () => {
    const parsed = appliedChanges(report(), 'staging');
    expect(parsed).toEqual({ ok: true, commit: SHA, changes: [
      { flag: 'a', file: 'flags/a.yml', before: undefined, after: true },
      { flag: 'b', file: 'flags/b.yml', before: { percentage_of_time: 25 }, after: { percentage_of_time: 50 } },
    ] });
    if (parsed.ok) expect(changedFlagsVariable(parsed.changes)).toBe('a=true,b=percentage_of_time:50');
  });

  it('a ring: the flags applied in any of its instances', () => {
    const ring = JSON.stringify({ command: 'apply', environments: [
      { env: 'ring1', instance: 'cell-1', flags: [{ flag: 'a', live: null, desired: true, status: 'in-sync' }] },
      { env: 'ring1', instance: 'cell-2', flags: [{ flag: 'a', live: false, desired: true, status: 'applied' }] },
      { env: 'ring1', instance: 'cell-3', flags: [{ flag: 'a', live: null, desired: true, status: 'applied' }] },
    ] });
    expect(appliedChanges(ring, 'ring1')).toEqual({ ok: true, changes: [{ flag: 'a', before: false, after: true }] });
  });

  it('refuses what is not one', () => {
    expect(appliedChanges('{', 'staging')).toEqual({ ok: false, problem: 'not JSON' });
    expect(appliedChanges(report({ command: 'plan' }), 'staging').ok).toBe(false);
    expect(appliedChanges(report(), 'production')).toEqual({ ok: false, problem: 'it has no environment production' });
    const bad = report().replace('"desired":true', '"desired":{"percentage_of_time":"x"}');
    expect(appliedChanges(bad, 'staging')).toEqual({ ok: false, problem: 'flag a: live or desired is not a flag state' });
    expect(appliedChanges(report().replace('"flag":"a"', '"flag":"../x"'), 'staging').ok).toBe(false);
  });
});

describe('waiting for the downstream pipeline', () => {
  function fakePort(statuses: string[]) {
    const reads: number[] = [];
    const pipeline = (status: string): Pipeline => ({ id: 7, projectId: 40, status, ref: 'main', sha: SHA, webUrl: 'https://gitlab.example.com/group/e2e-tests/-/pipelines/7' });
    const port = {
      createPipeline: async () => pipeline('created'),
      getPipeline: async () => {
        reads.push(clock.t);
        return pipeline(statuses.shift() ?? 'running');
      },
    } as unknown as GitlabPort;
    const clock = { t: 0 };
    return { port, reads, clock, sleep: async (ms: number) => void (clock.t += ms) };
  }

  it('reads with backoff until it finishes', async () => {
    const f = fakePort(['pending', 'running', 'running', 'failed']);
    const r = await runDownstream({ port: f.port, project: 40, ref: 'main', variables: [], timeoutMs: 1_800_000, now: () => f.clock.t, sleep: f.sleep });
    expect([r.outcome, r.pipeline.status]).toEqual(['failed', 'failed']);
    expect(f.reads).toEqual([2_000, 6_000, 14_000, 29_000]);
    expect([1, 2, 3, 4, 5, 9].map(pollDelay)).toEqual([2_000, 4_000, 8_000, 15_000, 30_000, 30_000]);
  });

  it('stops at the timeout, reading once at the deadline', async () => {
    const f = fakePort([]);
    const r = await runDownstream({ port: f.port, project: 40, ref: 'main', variables: [], timeoutMs: 60_000, now: () => f.clock.t, sleep: f.sleep });
    expect([r.outcome, r.waitedMs]).toEqual(['timeout', 60_000]);
    expect(f.reads.at(-1)).toBe(60_000);
  });

  it('tells a canceled pipeline from a failed one', async () => {
    const f = fakePort(['canceled']);
    expect((await runDownstream({ port: f.port, project: 40, ref: 'main', variables: [], timeoutMs: 60_000, now: () => f.clock.t, sleep: f.sleep })).outcome).toBe('canceled');
  });
});

describe('the rollback decision', () => {
  const change = { flag: 'a', before: false, after: true } as const;
  const live = (state?: boolean | { percentage_of_time: number }) => new Map(state === undefined ? [] : [['a', { state }]]);
  it('rolls back what the apply set, once', () => {
    expect(rollbackDecision(change, live(true)).outcome).toBe('roll-back');
    expect(rollbackDecision(change, live(false)).outcome).toBe('already-back');
  });
  it('leaves alone what changed since, and never raises exposure', () => {
    expect(rollbackDecision(change, live({ percentage_of_time: 10 })).outcome).toBe('changed-since');
    expect(rollbackDecision({ flag: 'a', before: true, after: false }, live(false)).outcome).toBe('not-a-rollback');
  });
});

describe('the revert merge request', () => {
  it('is named by its change and carries a marker only its own fields can fill', () => {
    expect(revertBranch('staging', SHA)).toBe('flagops/revert-staging-c0ffee000000');
    expect(parseRevertMarker(`x ${revertMarker('staging', SHA, ['a', 'b'])} y`)).toEqual({ env: 'staging', commit: SHA, flags: ['a', 'b'] });
    expect(parseRevertMarker('<!-- flagops:verify-revert env=staging commit=zz flags=a -->')).toBeUndefined();
    const r = renderRevert({ env: 'staging', commit: SHA, changes: [{ flag: 'a', before: undefined, after: true }], pipelineUrl: 'https://p/1', changeMr: { iid: 3, webUrl: 'https://m/3' } });
    expect(r.title).toBe('Revert a in staging: verification failed');
    expect(r.description).toContain('- `a`: on → unset');
    expect(r.description).toContain('(!3)');
  });
});
