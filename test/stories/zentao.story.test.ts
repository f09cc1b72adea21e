/**
 * Seed 000 as a story: the rollout issue of `zentao_issues_integration` (a licensed feature name, actor: project)
 * played as merge requests to the flag repository of examples/gitlab/flagops.yml — dev and staging on, testing
 * projects on production, a 25/50/75/100 actor rollout under soak 1d and max_step 25, a rollback, the cleanup.
 * Each step: the README's `flagops` commands edit the file on a branch, the MR pipeline runs validate and
 * check --note, the merge runs the apply jobs of ci/example.gitlab-ci.yml (production: manual). The README
 * walk-through is checked against `COMMANDS` (readme-walkthrough.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, held, job, jobResults, startStory, type Live, type Story } from './story-world.js';
import { ZENTAO_COMMANDS as C } from './walkthrough-commands.js';
import { firstOccurrences, readmeCommands } from './walkthrough-commands.js';

const FLAG = 'zentao_issues_integration';
const FLAG_FILE = `# yaml-language-server: $schema=../../schemas/flag.schema.json
---
name: ${FLAG}
description: Integration with ZenTao issues
feature_issue_url: https://gitlab.example.com/group/app/-/issues/12
introduced_by_url: https://gitlab.example.com/group/app/-/merge_requests/75043
rollout_issue_url: https://gitlab.example.com/group/app/-/issues/345645
milestone: '14.6'
group: group::integrations
type: beta
default_enabled: false
actor: project
`;
const TESTERS = { projects: ['icbd-trial/integration-trial', 'luke/public-tests'] };
const OFF = {
  dev: undefined,
  pre: undefined,
  staging: undefined,
  'staging-ref': undefined,
  production: undefined,
};

let s: Story;
const rolloutNotes = () => s.issueNotes('group/app', 345645);

describe('seed 000: the ZenTao rollout, one merge request per checklist step', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    s = await startStory({ start: '2026-03-02T09:00:00Z', flags: { [FLAG]: FLAG_FILE } });
    s.deployCode(75043, ['gstg', 'gprd']);
    s.addRolloutIssue(345645, `[Feature flag] Enable ${FLAG}`);
    s.addChangeIssue(123, `Roll out ${FLAG} on production`);
  });
  afterAll(async () => {
    expect(s.unexpected()).toEqual([]);
    await s.close();
  });

  it('1. non-production: dev and staging on', async () => {
    const mr = await s.open(1, `Enable ${FLAG} on dev and staging`, { commands: [C.nonProduction] });
    expect(
      mr.commands.map((c) => c.code),
      JSON.stringify(mr.commands),
    ).toEqual([0]);
    expect(s.flagFile(FLAG)).toContain('environments:\n  dev: true\n  staging: true\n');
    expect(jobResults(mr.pipeline)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'PASS' });
    expect(job(mr.pipeline, 'flagops-check')).toMatch(
      new RegExp(`staging: ${FLAG} \\(rollout\\)[^\\n]*deployed pass`),
    );
    expect(s.mrNotes(1)).toHaveLength(1);
    expect(s.mrNotes(1)[0]).toContain(`\`${FLAG}\` | unset (default off) → on (rollout)`);
    expect(s.live(FLAG)).toEqual(OFF);

    const merged = await s.merge(1);
    expect(jobResults(merged)).toMatchObject({
      'flagops-apply-dev': 'PASS',
      'flagops-apply-staging': 'PASS',
    });
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.live(FLAG)).toEqual({ ...OFF, dev: true, staging: true });
    expect(rolloutNotes().join('\n')).toMatch(/staging/);
  });

  it('2. testing projects on production: soak refuses on the day staging converged, passes a day later', async () => {
    const mr = await s.open(2, `Testing projects on production\n\nChange: ops/changes#123`, {
      commands: [C.testers],
    });
    expect(
      mr.commands.map((c) => c.code),
      JSON.stringify(mr.commands),
    ).toEqual([0]);
    expect(jobResults(mr.pipeline)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'FAIL' });
    expect(job(mr.pipeline, 'flagops-check')).toMatch(
      /production: staging has held at least [^\n]* of the required 1d/,
    );
    expect(s.mrNotes(2)).toHaveLength(1);

    s.advance(DAY);
    const again = await s.rerun(2);
    expect(jobResults(again)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'PASS' });
    expect(s.mrNotes(2)).toHaveLength(1); // edited in place
    const merged = await s.merge(2, { production: true });
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.live(FLAG)).toEqual({ ...OFF, dev: true, staging: true, production: { actors: TESTERS } });
    expect(rolloutNotes().join('\n')).toMatch(/production/);
    expect(s.issueNotes('ops/changes', 123).join('\n')).toMatch(/production/);
  });

  it('3. incremental rollout: max_step refuses 50 % at once; 25, 50, 75, then on, a day apart', async () => {
    s.advance(DAY);
    const mr = await s.open(3, `${FLAG}: 50 % of projects on production\n\nChange: ops/changes#123`, {
      commands: [C.rollout[1]!],
    });
    expect(
      mr.commands.map((c) => c.code),
      JSON.stringify(mr.commands),
    ).toEqual([0]);
    expect(jobResults(mr.pipeline)).toEqual({ 'flagops-validate': 'PASS', 'flagops-check': 'FAIL' });
    expect(job(mr.pipeline, 'flagops-check')).toMatch(/soak pass, step fail/);
    expect(job(mr.pipeline, 'flagops-check')).toMatch(/more than max_step 25/);
    expect(s.mrNotes(3)).toHaveLength(1);
    expect(s.mrNotes(3)[0]).toMatch(/max_step/);

    const fixed = await s.push(3, '25 % first', { commands: [C.rollout[0]!] });
    expect(fixed.commands.map((c) => c.code)).toEqual([0]);
    expect(jobResults(fixed.pipeline), fixed.pipeline.log).toEqual({
      'flagops-validate': 'PASS',
      'flagops-check': 'PASS',
    });
    expect(s.mrNotes(3)).toHaveLength(1);
    const merged = await s.merge(3, { production: true });
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.live(FLAG)).toEqual({
      ...OFF,
      dev: true,
      staging: true,
      production: { percentage_of_actors: 25, actors: TESTERS },
    });

    const steps: [string, Live][] = [
      [C.rollout[1]!, { percentage_of_actors: 50, actors: TESTERS }],
      [C.rollout[2]!, { percentage_of_actors: 75, actors: TESTERS }],
      [C.on, true],
    ];
    let iid = 4;
    for (const [command, live] of steps) {
      s.advance(DAY);
      const step = await s.open(iid, `${command}\n\nChange: ops/changes#123`, { commands: [command] });
      expect(
        step.commands.map((c) => c.code),
        JSON.stringify(step.commands),
      ).toEqual([0]);
      expect(jobResults(step.pipeline), step.pipeline.log).toEqual({
        'flagops-validate': 'PASS',
        'flagops-check': 'PASS',
      });
      expect(job(step.pipeline, 'flagops-check')).toMatch(/soak pass, step pass/);
      expect(s.mrNotes(iid)).toHaveLength(1);
      const done = await s.merge(iid, { production: true });
      expect(done.code, done.log).toBe(0);
      expect(held(done)).toEqual([]);
      expect(s.live(FLAG)).toEqual({ ...OFF, dev: true, staging: true, production: live });
      iid += 1;
    }
    expect(rolloutNotes().join('\n')).toMatch(/production/);
    expect(s.issueNotes('ops/changes', 123).join('\n')).toMatch(/production/);
  });

  it('4. rollback after an emergency by hand (30 % live): the merge request lands, no gate, no drift hold', async () => {
    // by hand, as GitLab's API allows it: off, then 30 % of actors (a percentage on a fully-on flag is refused)
    expect(await s.byHand('production', FLAG, { value: 'false', force: 'true' })).toBe(201);
    expect(
      await s.byHand('production', FLAG, { value: '30', key: 'percentage_of_actors', force: 'true' }),
    ).toBe(201);
    expect(s.live(FLAG).production).toEqual({ percentage_of_actors: 30 });
    const mr = await s.open(7, `Disable ${FLAG} on production`, { commands: [C.rollback] });
    expect(
      mr.commands.map((c) => c.code),
      JSON.stringify(mr.commands),
    ).toEqual([0]);
    expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
      'flagops-validate': 'PASS',
      'flagops-check': 'PASS',
    });
    expect(job(mr.pipeline, 'flagops-check')).toMatch(/production: [^\n]*rollback/);
    expect(s.mrNotes(7)).toHaveLength(1);
    const merged = await s.merge(7, { production: true });
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.live(FLAG)).toEqual({ ...OFF, dev: true, staging: true, production: false });
  });

  it('5. cleanup: the file removed, the apply jobs delete the flag in every environment', async () => {
    const mr = await s.open(8, `Remove ${FLAG}`, { files: { [`flags/${FLAG}.yml`]: null } });
    expect(jobResults(mr.pipeline), mr.pipeline.log).toEqual({
      'flagops-validate': 'PASS',
      'flagops-check': 'PASS',
    });
    expect(s.mrNotes(8)).toHaveLength(1);
    expect(s.mrNotes(8)[0]).toContain(`| \`${FLAG}\` | on → unset (default off) (rollback) |`);
    const merged = await s.merge(8, { production: true });
    expect(merged.code, merged.log).toBe(0);
    expect(held(merged)).toEqual([]);
    expect(s.live(FLAG)).toEqual(OFF);
  });

  it('the README walk-through shows exactly the commands this story ran, in order', () => {
    expect(firstOccurrences(s.ran())).toEqual(readmeCommands('the ZenTao rollout, the flagops way'));
  });
});
