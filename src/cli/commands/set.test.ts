import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';
import type { CliIo } from '../io.js';
import { runSet, type SetOptions } from './set.js';

const tree = useTmpTree();
const CONFIG = `flags: flags\n${THREE_FILE_ENVS}`;
const FLAG = `---
# Rollout: https://gitlab.example.com/group/app/-/issues/345645
name: zentao_issues_integration
milestone: '14.6'   # quoted, as GitLab wants
type: beta
actor: project
environments:
  dev: true        # QA done on dev
  staging:
    percentage_of_actors: 25   # half-way
`;

async function run(dir: string, name: string, value: string, options: Partial<SetOptions> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: dir, isTTY: false, now: () => new Date(0) };
  const code = await runSet(name, value, { config: 'flagops.yml', ...options }, io);
  return { code, stdout, stderr };
}

const read = (dir: string, file = 'flags/zentao_issues_integration.yml'): string => readFileSync(join(dir, file), 'utf8');

describe('flagops set', () => {
  it('edits one environment, prints before → after, keeps the rest of the file byte for byte', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', '50', { actors: true, env: ['staging'] });
    expect(r).toEqual({ code: 0, stdout: 'staging: 25% of actors → 50% of actors\nupdated flags/zentao_issues_integration.yml\n', stderr: '' });
    expect(read(dir)).toBe(FLAG.replace('percentage_of_actors: 25   # half-way', 'percentage_of_actors: 50   # half-way'));
  });

  it('without --env sets every environment in promotion order', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', 'true', { project: 'icbd-trial/integration-trial,luke/public-tests' });
    expect(r.stdout).toBe(
      [
        'dev: on (unchanged)',
        '  note: already fully on: enabling projects icbd-trial/integration-trial, luke/public-tests changes nothing',
        'staging: 25% of actors → 25% of actors; projects icbd-trial/integration-trial, luke/public-tests',
        'production: unset (default off) → projects icbd-trial/integration-trial, luke/public-tests',
        'updated flags/zentao_issues_integration.yml',
        '',
      ].join('\n'),
    );
    expect(read(dir)).toBe(
      `${FLAG}    actors:\n      projects: [icbd-trial/integration-trial, luke/public-tests]\n  production:\n    actors:\n      projects: [icbd-trial/integration-trial, luke/public-tests]\n`,
    );
  });

  it('removes actors with false; the last one gone leaves the environment off', async () => {
    const flag = FLAG.replace('    percentage_of_actors: 25   # half-way\n', '    actors:\n      projects: [a/b, c/d]\n');
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': flag });
    expect((await run(dir, 'zentao_issues_integration', 'false', { project: ['a/b'], env: 'staging' })).stdout).toContain('staging: projects a/b, c/d → projects c/d\n');
    const last = await run(dir, 'zentao_issues_integration', 'false', { project: ['c/d'], env: 'staging' });
    expect(last.stdout).toContain('staging: projects c/d → off\n  note: no gate left: the flag is off there\n');
    expect(read(dir)).toBe(FLAG.replace('  staging:\n    percentage_of_actors: 25   # half-way\n', '  staging: false\n'));
  });

  it('a percentage on a fully-on environment becomes that percentage, with a note', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', '10', { actors: true, env: ['dev'] });
    expect(r.stdout).toContain('dev: on → 10% of actors\n  note: was fully on: now only 10% of actors');
    expect(read(dir)).toContain('  dev:        # QA done on dev\n    percentage_of_actors: 10\n  staging:');
  });

  it('does not write an edit that makes the file invalid: exit 1, findings shown, file unchanged', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', '5', { random: true, env: ['production'] });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('production: unset (default off) → 5% of time\n');
    expect(r.stdout).toMatch(/flags\/zentao_issues_integration\.yml:\d+:\d+: error actor\/percentage-of-time: production: percentage_of_time on a flag checked with actor 'project'/);
    expect(r.stdout).toContain('not written: the edit would make flags/zentao_issues_integration.yml invalid; the file is unchanged');
    expect(read(dir)).toBe(FLAG);
    expect(readdirSync(join(dir, 'flags'))).toEqual(['zentao_issues_integration.yml']);
  });

  it('lets an edit fix an error the file already had', async () => {
    const broken = FLAG.replace('percentage_of_actors: 25', 'percentage_of_time: 25');
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': broken });
    const r = await run(dir, 'zentao_issues_integration', 'false', { env: ['staging'] });
    expect(r).toMatchObject({ code: 0, stdout: 'staging: 25% of time → off\nupdated flags/zentao_issues_integration.yml\n' });
  });

  it('says nothing changed and leaves the file alone when the state is already there', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', '25', { actors: true, env: ['staging'] });
    expect(r).toEqual({ code: 0, stdout: 'staging: 25% of actors (unchanged)\nflags/zentao_issues_integration.yml: nothing to change\n', stderr: '' });
  });

  it('finds the file in the gitlab layout and makes a definition-only file managed, naming what that means', async () => {
    const def = "---\nname: new_flag\ntype: wip\nmilestone: '18.0'\n";
    const dir = tree({ 'flagops.yml': `flags: config/feature_flags\nlayout: gitlab\n${THREE_FILE_ENVS}`, 'config/feature_flags/wip/new_flag.yml': def });
    const r = await run(dir, 'new_flag', 'true', { env: ['dev'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dev: unset (default off) → on\nupdated config/feature_flags/wip/new_flag.yml\n');
    expect(r.stdout).toContain('now manages this flag, and staging, production have no state in it, so apply deletes any live state there');
    expect(read(dir, 'config/feature_flags/wip/new_flag.yml')).toBe(`${def}environments:\n  dev: true\n`);
  });

  it('--dry-run and --format json report without writing', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    const r = await run(dir, 'zentao_issues_integration', 'false', { env: ['dev'], dryRun: true, format: 'json' });
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'set',
      ok: true,
      status: 'written',
      dryRun: true,
      file: 'flags/zentao_issues_integration.yml',
      changes: [{ env: 'dev', before: true, after: false, changed: true, notes: [] }],
      findings: [],
    });
    expect(read(dir)).toBe(FLAG);
  });

  it('refuses unknown flags (with a suggestion), unknown environments and bad usage with exit-2 errors', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': FLAG });
    await expect(run(dir, 'zentao_issue_integration', 'true')).rejects.toMatchObject({
      kind: 'usage',
      message: "no flag file for 'zentao_issue_integration'",
      hint: expect.stringMatching(/^did you mean zentao_issues_integration\? Otherwise create its definition first \(flags\/zentao_issue_integration\.yml/),
    });
    await expect(run(dir, 'zentao_issues_integration', 'true', { env: ['prod'] })).rejects.toMatchObject({ kind: 'usage', message: "unknown environment 'prod'" });
    await expect(run(dir, 'zentao_issues_integration', '25', { user: 'luke' })).rejects.toMatchObject({ kind: 'usage' });
    await expect(run(dir, 'zentao_issues_integration', 'false', { user: 'luke', env: ['dev'] })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^dev: the flag is fully on/),
    });
    await expect(run(dir, '../etc/passwd', 'true')).rejects.toMatchObject({ kind: 'usage' });
    expect(read(dir)).toBe(FLAG);
  });

  it('refuses to edit a file that does not parse, with the loader finding', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/zentao_issues_integration.yml': 'name: zentao_issues_integration\nname: again\n' });
    const r = await run(dir, 'zentao_issues_integration', 'true');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not edited: flags\/zentao_issues_integration\.yml does not parse; fix it first\nflags\/zentao_issues_integration\.yml:2:1: error yaml\/syntax/);
    writeFileSync(join(dir, 'flags/zentao_issues_integration.yml'), 'name: zentao_issues_integration\nenvironments: [dev]\n');
    const r2 = await run(dir, 'zentao_issues_integration', 'true');
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain('error edit/unsupported: cannot edit this file: environments is not a mapping');
  });
});

describe('flagops set: byte for byte outside the entries it changes (issue 9, item 6)', () => {
  const LISTS = `name: my_flag
type: beta
actor: user
environments:
  dev: {percentage_of_actors: 10}   # trial
  staging:
    actors:
      users:
        - 'luke'    # the owner
        - "leia"    # QA
  production:
    actors:
      users: ['han', "rey"]   # pilots
`;
  const file = 'flags/my_flag.yml';

  it('a flow map stays flow: only the number changes', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, [file]: LISTS });
    expect((await run(dir, 'my_flag', '25', { actors: true, env: ['dev'] })).code).toBe(0);
    expect(read(dir, file)).toBe(LISTS.replace('{percentage_of_actors: 10}', '{percentage_of_actors: 25}'));
  });

  it('adding a user to a block list keeps the other items, their quotes and their comments', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, [file]: LISTS });
    expect((await run(dir, 'my_flag', 'true', { user: ['chewie'], env: ['staging'] })).code).toBe(0);
    expect(read(dir, file)).toBe(LISTS.replace(`        - "leia"    # QA\n`, `        - "leia"    # QA\n        - chewie\n`));
  });

  it('removing a user from a flow list keeps the list flow and the other item quoted', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, [file]: LISTS });
    expect((await run(dir, 'my_flag', 'false', { user: ['han'], env: ['production'] })).code).toBe(0);
    expect(read(dir, file)).toBe(LISTS.replace(`['han', "rey"]`, `["rey"]`));
  });
});
