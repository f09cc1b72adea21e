import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { loadConfig } from './load-config.js';

const tree = useTmpTree();
const ENVS = `environments:
  - name: production
    after: null
    backend: { type: file, path: prod.json }
    production_check: { project: gl-infra/production }
`;

describe('production_check in flagops.yml', () => {
  it('is read into the environment', () => {
    const dir = tree({ 'flagops.yml': `flags: flags\ngitlab: { url: https://gitlab.example.com, token_env: T }\n${ENVS}` });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    expect(loaded.config.environments[0]?.productionCheck).toEqual({ project: 'gl-infra/production' });
  });

  it('needs the gitlab section, and is located', () => {
    const dir = tree({ 'flagops.yml': `flags: flags\n${ENVS}` });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.findings.map((f) => [f.line, f.message])).toEqual([
      [3, expect.stringContaining('production_check') as string],
    ]);
  });

  it('rejects an unknown key with its position', () => {
    const dir = tree({ 'flagops.yml': `flags: flags\ngitlab: { url: https://gitlab.example.com, token_env: T }\n${ENVS.replace('project: gl-infra/production', 'projet: x')}` });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.findings[0]?.line).toBe(7);
  });
});
