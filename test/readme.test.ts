import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.js';
import { useTmpTree } from './helpers/tmp-tree.js';

const ROOT = join(import.meta.dirname, '..');
const tree = useTmpTree();

describe('README Quick start', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = block.trim().split('\n');

  it('holds exactly two command lines: the main job on the example, then the tests', () => {
    expect(lines).toEqual(['npm ci && npx flagops apply --config examples/flagops.yml', 'npm ci && npm test']);
  });

  it('the main job converges the example repository, and a second run changes nothing', async () => {
    const dir = tree({});
    cpSync(join(ROOT, 'examples'), dir, { recursive: true, filter: (src) => !src.includes('.flagops') });
    const first = await cli(['apply', '--config', 'flagops.yml'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('validate: 0 errors, 0 warnings in 3 files');
    const production = JSON.parse(readFileSync(join(dir, '.flagops/state/production.json'), 'utf8'));
    expect(production.flags.zentao_issues_integration).toEqual({
      percentage_of_actors: 25,
      actors: { projects: ['icbd-trial/integration-trial', 'luke/public-tests'] },
    });
    const second = await cli(['apply', '--config', 'flagops.yml'], { cwd: dir });
    expect(second.stdout).toContain('nothing to change; 2 in sync');
  });
});
