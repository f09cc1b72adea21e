/**
 * Seed 004 as a story: the rollout issue of `enforce_explicit_connection_for_partitioned_shared_models` (a global
 * flag) played as merge requests to the flag repository of examples/gitlab/flagops.yml — on in dev, pre, staging
 * and staging-ref, then production; the rollback steps (production off, then the other four); delete everywhere.
 */
import { PARTITION_FLAG, PARTITION_FLAG_FILE } from './seed-flags.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, held, job, jobResults, startStory, type Story } from './story-world.js';
import { PARTITION_COMMANDS as C } from './walkthrough-commands.js';
import { firstOccurrences, readmeCommands } from './walkthrough-commands.js';

const FLAG = PARTITION_FLAG;
const FLAG_FILE = PARTITION_FLAG_FILE;
const NONE = {
  dev: undefined,
  pre: undefined,
  staging: undefined,
  'staging-ref': undefined,
  production: undefined,
};
const NON_PRODUCTION_ON = { dev: true, pre: true, staging: true, 'staging-ref': true, production: undefined };

let s: Story;
const rolloutNotes = () => s.issueNotes('group/app', 402);

describe(
  'seed 004: a global flag, non-production then production, rolled back and deleted',
  { timeout: 180_000 },
  () => {
    beforeAll(async () => {
      s = await startStory({ start: '2026-04-13T08:00:00Z', flags: { [FLAG]: FLAG_FILE } });
      s.deployCode(120001, ['gstg', 'gprd']);
      s.addRolloutIssue(402, `[FF] ${FLAG}`);
      s.addChangeIssue(77, `Enable ${FLAG} on production`);
    });
    afterAll(async () => {
      expect(s.unexpected()).toEqual([]);
      await s.close();
    });

    it('1. on in dev, pre, staging and staging-ref', async () => {
      const mr = await s.open(1, `Enable ${FLAG} on non-production`, { commands: [C.nonProduction] });
      expect(
        mr.commands.map((c) => c.code),
        JSON.stringify(mr.commands),
      ).toEqual([0]);
      expect(s.flagFile(FLAG)).toContain(
        'environments:\n  dev: true\n  pre: true\n  staging: true\n  staging-ref: true\n',
      );
      expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
        'flagops-validate': 'PASS',
        'flagops-check': 'PASS',
      });
      expect(job(mr.pipeline, 'flagops-check')).toMatch(
        new RegExp(`staging: ${FLAG} \\(rollout\\)[^\\n]*deployed pass`),
      );
      expect(s.mrNotes(1)).toHaveLength(1);
      expect(s.mrNotes(1)[0]).toMatch(/staging-ref/);
      expect(s.live(FLAG)).toEqual(NONE);

      const merged = await s.merge(1);
      expect(merged.code, merged.log).toBe(0);
      expect(held(merged)).toEqual([]);
      expect(jobResults(merged)).toMatchObject({
        'flagops-apply-dev': 'PASS',
        'flagops-apply-pre': 'PASS',
        'flagops-apply-staging': 'PASS',
        'flagops-apply-staging-ref': 'PASS',
        // the toggle on staging started the end-to-end tests (they pass here; test/stories/e2e.story.test.ts fails them)
        'flagops-verify-staging': 'PASS',
      });
      expect(s.e2ePipelines()).toEqual([
        { status: 'success', variables: expect.objectContaining({ FLAGOPS_CHANGED_FLAGS: `${FLAG}=true`, FLAGOPS_ENVIRONMENT: 'staging' }) as object },
      ]);
      expect(jobResults(merged)['flagops-apply-production']).toBeUndefined(); // manual, not run
      expect(s.live(FLAG)).toEqual(NON_PRODUCTION_ON);
      expect(rolloutNotes().join('\n')).toMatch(/staging-ref/);
    });

    it('2. production: `true` is refused (soak, max_step); 25 % merged too early stays pending until a day later', async () => {
      const mr = await s.open(2, `Enable ${FLAG} on production\n\nChange: ops/changes#77`, {
        commands: [C.production],
      });
      expect(
        mr.commands.map((c) => c.code),
        JSON.stringify(mr.commands),
      ).toEqual([0]);
      expect(jobResults(mr.pipeline)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'FAIL' });
      const check = job(mr.pipeline, 'flagops-check');
      expect(check).toMatch(new RegExp(`production: ${FLAG} \\(rollout\\): [^\\n]*soak fail, step fail`));
      expect(check).toMatch(/staging has held [^\n]* of the required 1d/);
      expect(check).toMatch(/more than max_step 25/);
      expect(s.mrNotes(2)).toHaveLength(1);
      expect(s.mrNotes(2)[0]).toMatch(/soak/);

      const fixed = await s.push(2, '25 % first', { commands: [C.steps[0]!] });
      expect(
        fixed.commands.map((c) => c.code),
        JSON.stringify(fixed.commands),
      ).toEqual([0]);
      expect(jobResults(fixed.pipeline)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'FAIL' });
      expect(job(fixed.pipeline, 'flagops-check')).toMatch(/soak fail, step pass/);
      expect(s.mrNotes(2)).toHaveLength(1); // the same note, edited

      // merged while its check is red: apply judges again and leaves the change pending (the job fails)
      const early = await s.merge(2, { production: true });
      expect(jobResults(early)['flagops-apply-production']).toBe('FAIL');
      expect(early.code).not.toBe(0);
      expect(held(early)).toEqual([`production: ${FLAG} [pending]`]);
      expect(s.live(FLAG)).toEqual(NON_PRODUCTION_ON);

      s.advance(DAY);
      const scheduled = await s.schedule({ production: true });
      expect(scheduled.code, scheduled.log).toBe(0);
      expect(held(scheduled)).toEqual([]);
      expect(s.live(FLAG)).toEqual({ ...NON_PRODUCTION_ON, production: { percentage_of_time: 25 } });
      expect(s.issueNotes('ops/changes', 77).join('\n')).toMatch(/production/);
    });

    it('3. production 50 %, 75 %, then on: one merge request each', async () => {
      const steps: [string, unknown][] = [
        [C.steps[1]!, { percentage_of_time: 50 }],
        [C.steps[2]!, { percentage_of_time: 75 }],
        [C.production, true],
      ];
      let iid = 3;
      for (const [command, live] of steps) {
        const mr = await s.open(iid, `${command}\n\nChange: ops/changes#77`, { commands: [command] });
        expect(
          mr.commands.map((c) => c.code),
          JSON.stringify(mr.commands),
        ).toEqual([0]);
        expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
          'flagops-validate': 'PASS',
          'flagops-check': 'PASS',
        });
        expect(job(mr.pipeline, 'flagops-check')).toMatch(/soak pass, step pass/);
        const merged = await s.merge(iid, { production: true });
        expect(merged.code, merged.log).toBe(0);
        expect(held(merged)).toEqual([]);
        expect(s.live(FLAG)).toEqual({ ...NON_PRODUCTION_ON, production: live });
        iid += 1;
      }
    });

    it('4. rollback on production: no soak, no change issue, applied at once', async () => {
      const mr = await s.open(6, `Disable ${FLAG} on production`, { commands: [C.rollbackProduction] });
      expect(
        mr.commands.map((c) => c.code),
        JSON.stringify(mr.commands),
      ).toEqual([0]);
      expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
        'flagops-validate': 'PASS',
        'flagops-check': 'PASS',
      });
      expect(job(mr.pipeline, 'flagops-check')).toMatch(/production: [^\n]*rollback/);
      // the note's live plan: from the snapshots the last pipeline of main published
      expect(s.mrNotes(6)[0]).not.toMatch(/No live snapshot/);
      expect(s.mrNotes(6)[0]).toMatch(/#### production\n/);
      const merged = await s.merge(6, { production: true });
      expect(merged.code, merged.log).toBe(0);
      expect(held(merged)).toEqual([]);
      expect(s.live(FLAG)).toEqual({ ...NON_PRODUCTION_ON, production: false });
    });

    it('5. rollback on non-production', async () => {
      const mr = await s.open(7, `Disable ${FLAG} on non-production`, {
        commands: [C.rollbackNonProduction],
      });
      expect(
        mr.commands.map((c) => c.code),
        JSON.stringify(mr.commands),
      ).toEqual([0]);
      expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
        'flagops-validate': 'PASS',
        'flagops-check': 'PASS',
      });
      const merged = await s.merge(7);
      expect(merged.code, merged.log).toBe(0);
      expect(held(merged)).toEqual([]);
      expect(s.live(FLAG)).toEqual({
        dev: false,
        pre: false,
        staging: false,
        'staging-ref': false,
        production: false,
      });
    });

    it('6. delete everywhere: the state leaves the file, the apply jobs delete the live flag in promotion order', async () => {
      const mr = await s.open(8, `Delete ${FLAG} everywhere`, { commands: [C.delete] });
      expect(
        mr.commands.map((c) => c.code),
        JSON.stringify(mr.commands),
      ).toEqual([0]);
      expect(s.flagFile(FLAG)).toMatch(/environments: \{\}/);
      expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
        'flagops-validate': 'PASS',
        'flagops-check': 'PASS',
      });
      const merged = await s.merge(8, { production: true });
      expect(merged.code, merged.log).toBe(0);
      expect(held(merged)).toEqual([]);
      expect(s.live(FLAG)).toEqual(NONE);
    });

    it('the README walk-through shows exactly the commands this story ran, in order', () => {
      expect(firstOccurrences(s.ran())).toEqual(readmeCommands('a global flag on five environments'));
    });
  },
);
