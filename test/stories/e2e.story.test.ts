/**
 * Seed 004's end-to-end step as a story ("If the feature flag causes end-to-end tests to fail, disable the feature
 * flag on staging to avoid blocking deployments"): staging's `verify:` in examples/gitlab/flagops.yml starts the
 * end-to-end project's pipeline after a toggle. Here it fails: staging is rolled back, a revert merge request is
 * opened, production is untouched, and the next rollout of the flag on staging is held until the revert merges;
 * then the flag goes on again on staging and its end-to-end run passes.
 */
import { PARTITION_FLAG, PARTITION_FLAG_FILE } from './seed-flags.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { held, job, jobResults, startStory, type Story } from './story-world.js';
import { firstOccurrences, PARTITION_COMMANDS as C, readmeCommands } from './walkthrough-commands.js';

const FLAG = PARTITION_FLAG;
const FLAG_FILE = PARTITION_FLAG_FILE;

let s: Story;
let revertIid = 0;

describe('seed 004: the end-to-end tests after a toggle on staging', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    s = await startStory({ start: '2026-05-04T08:00:00Z', flags: { [FLAG]: FLAG_FILE } });
    s.deployCode(120001, ['gstg', 'gprd']);
    s.addRolloutIssue(402, `[FF] ${FLAG}`);
  });
  afterAll(async () => {
    expect(s.unexpected()).toEqual([]);
    await s.close();
  });

  it('1. the toggle on staging starts the end-to-end tests; they fail: staging off, a revert MR, production untouched', async () => {
    const mr = await s.open(1, `Enable ${FLAG} on non-production`, { commands: [C.nonProduction] });
    expect(mr.commands.map((c) => c.code), JSON.stringify(mr.commands)).toEqual([0]);
    s.answerE2e(['running', 'failed']);
    const merged = await s.merge(1);
    expect(jobResults(merged), merged.log).toMatchObject({
      'flagops-apply-dev': 'PASS',
      'flagops-apply-pre': 'PASS',
      'flagops-apply-staging': 'PASS',
      'flagops-verify-staging': 'FAIL',
      'flagops-apply-staging-ref': 'PASS',
    });
    // the test kicked off: "Feature flag … has been set to true on gstg"
    expect(s.e2ePipelines()).toEqual([
      { status: 'failed', variables: expect.objectContaining({ FLAGOPS_CHANGED_FLAGS: `${FLAG}=true`, FLAGOPS_ENVIRONMENT: 'staging', FLAGOPS_COMMIT: s.mainSha() }) as object },
    ]);
    const verify = job(merged, 'flagops-verify-staging');
    expect(verify).toMatch(/verify\/failed: staging: verification pipeline \S+ failed: rolled back/);
    expect(s.live(FLAG)).toEqual({ dev: true, pre: true, staging: undefined, 'staging-ref': true, production: undefined });
    const [revert, ...others] = s.apiMergeRequests();
    expect(others).toEqual([]);
    expect([revert!.state, revert!.targetBranch, revert!.labels]).toEqual(['opened', 'main', ['flagops::revert']]);
    expect(revert!.title).toBe(`Revert ${FLAG} in staging: verification failed`);
    revertIid = revert!.iid;
    expect(verify).toContain(`revert merge request !${revertIid}`);
    // announced on the merge request that made the change
    expect(s.mrNotes(1).join('\n')).toMatch(new RegExp(`verification failed in staging: rolled back[\\s\\S]*!${revertIid}`));
    expect(jobResults(merged)['flagops-apply-production']).toBeUndefined();
  });

  it('2. until the revert merges, the next rollout of the flag on staging is held, naming the revert', async () => {
    const scheduled = await s.schedule();
    expect(held(scheduled)).toEqual([`staging: ${FLAG} [drift-held]`]);
    expect(job(scheduled, 'flagops-apply-staging')).toContain(`drift/revert-open`);
    expect(job(scheduled, 'flagops-apply-staging')).toContain(`!${revertIid}`);
    expect(s.live(FLAG).staging).toBeUndefined();
    expect(s.e2ePipelines()).toHaveLength(1);
  });

  it('3. the revert merges: the file says what is live, nothing to apply or verify', async () => {
    s.takeApiMergeRequest(revertIid);
    const merged = await s.merge(revertIid);
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.flagFile(FLAG)).toContain('environments:\n  dev: true\n  pre: true\n  staging-ref: true\n');
    expect(job(merged, 'flagops-verify-staging')).toMatch(/nothing to verify/);
    expect(s.e2ePipelines()).toHaveLength(1);
    expect(s.live(FLAG)).toEqual({ dev: true, pre: true, staging: undefined, 'staging-ref': true, production: undefined });
  });

  it('4. the flow continues: on again on staging, and the end-to-end run passes', async () => {
    const mr = await s.open(revertIid + 1, `Enable ${FLAG} on staging again`, { commands: [C.stagingAgain] });
    expect(mr.commands.map((c) => c.code), JSON.stringify(mr.commands)).toEqual([0]);
    expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'PASS' });
    s.answerE2e(['success']);
    const merged = await s.merge(revertIid + 1);
    expect(merged.code, merged.log).toBe(0);
    expect(jobResults(merged)['flagops-verify-staging']).toBe('PASS');
    expect(s.e2ePipelines().map((p) => p.status)).toEqual(['failed', 'success']);
    expect(s.live(FLAG)).toEqual({ dev: true, pre: true, staging: true, 'staging-ref': true, production: undefined });
    expect(s.apiMergeRequests().map((m) => m.state)).toEqual(['merged']);
  });

  it('the README walk-through shows exactly the commands this story ran, in order', () => {
    expect(firstOccurrences(s.ran())).toEqual(readmeCommands('end-to-end tests after a toggle on staging'));
  });
});
