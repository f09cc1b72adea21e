import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { loadConfig } from './load-config.js';

const tree = useTmpTree();
const GITLAB = 'gitlab: { url: https://gitlab.example.com, token_env: T }\n';
const env = (verify: string) => `environments:\n  - name: staging\n    backend: { type: file, path: s.json }\n    verify: ${verify}\n`;
const load = (text: string) => loadConfig({ file: 'flagops.yml', cwd: tree({ 'flagops.yml': `flags: flags\n${text}` }), env: {} });

describe('verify in flagops.yml', () => {
  it('is read with its defaults (ref main, 30m, the gitlab token)', () => {
    const loaded = load(`${GITLAB}${env('{ project: group/e2e-tests }')}`);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    expect(loaded.config.environments[0]?.verify).toEqual({ project: 'group/e2e-tests', ref: 'main', timeout: '30m', timeoutMs: 1_800_000 });
  });

  it('takes a ref, a token variable and a timeout', () => {
    const loaded = load(`${GITLAB}${env('{ project: 42, ref: stable, token_env: E2E_TOKEN, timeout: 1h }')}`);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    expect(loaded.config.environments[0]?.verify).toEqual({ project: 42, ref: 'stable', tokenEnv: 'E2E_TOKEN', timeout: '1h', timeoutMs: 3_600_000 });
  });

  it('needs the gitlab section, and refuses a bad project path or duration with a position', () => {
    const noGitlab = load(env('{ project: group/e2e-tests }'));
    expect(noGitlab.ok ? [] : noGitlab.findings.map((f) => [f.line, f.message])).toEqual([[3, expect.stringContaining("verify") as string]]);
    const badPath = load(`${GITLAB}${env("{ project: '../x' }")}`);
    expect(badPath.ok ? [] : badPath.findings.map((f) => [f.line, f.message])).toEqual([[6, expect.stringContaining('not a GitLab path') as string]]);
    const badTimeout = load(`${GITLAB}${env('{ project: g/e, timeout: soon }')}`);
    expect(badTimeout.ok ? [] : badTimeout.findings.map((f) => f.line)).toEqual([6]);
  });
});
