import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { instanceTargets, soleTarget } from './instances.js';
import { loadConfig } from './load-config.js';

const tree = useTmpTree();
const load = (envs: string) => loadConfig({ file: 'flagops.yml', cwd: tree({ 'flagops.yml': `flags: flags\nenvironments:\n${envs}` }), env: {} });

describe('rings: an environment with instances', () => {
  it('resolves each instance with its own backend; a plain environment is one instance named after it', () => {
    const loaded = load(`  - name: canary
    backend: { type: file, path: canary.json }
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: gitlab-features, url: https://cell-1.example.com, token_env: CELL_1_TOKEN } }
      - { name: cell-2, backend: { type: file, path: cell-2.json } }
`);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    const [canary, ring1] = loaded.config.environments;
    expect(canary?.ring).toBe(false);
    expect(canary?.instances.map((i) => i.name)).toEqual(['canary']);
    expect(ring1?.ring).toBe(true);
    // a ring has no single backend: nothing can converge just its first instance by reading env.backend
    expect(ring1?.backend).toBeUndefined();
    expect(canary?.backend?.type).toBe('file');
    expect(() => soleTarget(ring1!)).toThrow(/ring of 2 instances/);
    expect(instanceTargets(ring1!).map((t) => [t.instance, t.record, t.backend.type])).toEqual([
      ['cell-1', 'ring1/cell-1', 'gitlab-features'],
      ['cell-2', 'ring1/cell-2', 'file'],
    ]);
    expect(instanceTargets(canary!).map((t) => [t.instance, t.record])).toEqual([['canary', 'canary']]);
    expect(ring1?.after).toBe('canary');
    expect(ring1?.instances.map((i) => [i.name, i.backend.type])).toEqual([
      ['cell-1', 'gitlab-features'],
      ['cell-2', 'file'],
    ]);
  });

  it.each([
    ['both backend and instances', `  - name: ring1\n    backend: { type: file, path: a.json }\n    instances:\n      - { name: c1, backend: { type: file, path: b.json } }\n`, 3, 'exactly one of'],
    ['neither', `  - name: ring1\n    soak: 1d\n`, 3, 'exactly one of'],
    ['a duplicate instance', `  - name: ring1\n    instances:\n      - { name: c1, backend: { type: file, path: a.json } }\n      - { name: c1, backend: { type: file, path: b.json } }\n`, 6, 'defined twice'],
    ['an instance URL that is plain http off loopback', `  - name: ring1\n    instances:\n      - name: c1\n        backend: { type: gitlab-features, url: http://cell.example.com, token_env: T }\n`, 6, "instance 'c1'"],
    ['a bad instance name', `  - name: ring1\n    instances:\n      - { name: Cell_1, backend: { type: file, path: a.json } }\n`, 5, ''],
  ])('rejects %s, located', (_what, envs, line, message) => {
    const loaded = load(envs);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.findings[0]?.line).toBe(line);
    expect(loaded.findings[0]?.message).toContain(message);
  });
});
