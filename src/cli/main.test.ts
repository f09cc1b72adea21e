import { describe, expect, it } from 'vitest';
import { cli } from '../../test/helpers/run-cli.js';
import { buildProgram, COMMANDS } from './main.js';

const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, now: () => new Date() };

describe('the program', () => {
  it('COMMANDS names every subcommand, in the order of the help', () => {
    expect(buildProgram(io, () => {}).commands.map((c) => c.name())).toEqual([...COMMANDS]);
  });

  it('a run builds only its own subcommand besides the root', () => {
    expect(buildProgram(io, () => {}, 'validate').commands.map((c) => c.name())).toEqual(['validate']);
  });

  it('the root help lists every subcommand; a subcommand help its own options; an unknown one gets a suggestion', async () => {
    const root = await cli(['--help'], { cwd: '/' });
    expect(root.code).toBe(0);
    for (const name of COMMANDS) expect(root.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const validate = await cli(['validate', '--help'], { cwd: '/' });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('--quiet');
    expect(validate.stdout).not.toContain('--allow-pending');
    const typo = await cli(['valdate'], { cwd: '/' });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("(Did you mean validate?)");
  });
});
