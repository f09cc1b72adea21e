import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { validateFlags } from '../src/rules/run-rules.js';
import { useTmpTree } from './helpers/tmp-tree.js';

/** test/fixtures/gitlab-flag-definitions: 85 real GitLab definition files (see its SOURCE.md), the reference for what is valid. */
export const CORPUS = join(import.meta.dirname, 'fixtures', 'gitlab-flag-definitions', 'config', 'feature_flags');
const tree = useTmpTree();

describe('the GitLab corpus', () => {
  it('validates with zero errors under layout: gitlab', () => {
    const dir = tree({
      'flagops.yml': 'flags: config/feature_flags\nlayout: gitlab\nenvironments:\n  - name: production\n    backend: { type: file, path: state.json }\n',
    });
    cpSync(CORPUS, join(dir, 'config', 'feature_flags'), { recursive: true });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    if (!loaded.ok) throw new Error('config');
    const result = validateFlags({ config: loaded.config });
    const files = readdirSync(CORPUS, { recursive: true }).filter((f) => String(f).endsWith('.yml'));
    expect(files.length).toBe(85);
    expect(result.documents.length).toBe(85);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // the historical types are valid but deprecated
    const deprecated = result.findings.filter((f) => f.code === 'definition/deprecated-type');
    expect(deprecated.length).toBe(files.filter((f) => /^(development|licensed)\//.test(String(f))).length);
    expect(result.valid.length).toBe(85);
  });
});
