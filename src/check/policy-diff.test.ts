import { describe, expect, it } from 'vitest';
import { loadConfigBytes } from '../config/load-config.js';
import type { FlagopsConfig } from '../config/types.js';
import { policyChanges } from './policy-diff.js';

const config = (force: string): FlagopsConfig => {
  const text = `flags: flags
environments:
  - name: staging
    backend: { type: gitlab-features, url: 'http://127.0.0.1:9/', token_env: STAGING_TOKEN${force} }
`;
  const loaded = loadConfigBytes(Buffer.from(text), { abs: '/repo/flagops.yml' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return loaded.config;
};

describe('policyChanges: force of gitlab-features backends', () => {
  it('a force list added, changed or emptied is a config/force-changed warning with both values', () => {
    const none = config('');
    const one = config(', force: [zentao_issues_integration]');
    const two = config(', force: [zentao_issues_integration, custom_fields]');
    const empty = config(', force: []');
    expect(policyChanges(none, one)).toEqual([
      expect.objectContaining({ code: 'config/force-changed', severity: 'warning', env: 'staging', file: 'flagops.yml', message: 'staging: force (not set) → [zentao_issues_integration]' }),
    ]);
    expect(policyChanges(one, two).map((f) => f.message)).toEqual(['staging: force [zentao_issues_integration] → [custom_fields, zentao_issues_integration]']);
    expect(policyChanges(two, empty).map((f) => f.message)).toEqual(['staging: force [custom_fields, zentao_issues_integration] → (not set)']);
  });

  it('the same names in another order, or no list and an empty one, change nothing', () => {
    expect(policyChanges(config(', force: [a_flag, b_flag]'), config(', force: [b_flag, a_flag]'))).toEqual([]);
    expect(policyChanges(config(''), config(', force: []'))).toEqual([]);
  });
});

describe('policyChanges: verify', () => {
  const withVerify = (verify: string): FlagopsConfig => {
    const text = `flags: flags\ngitlab: { url: https://gitlab.example.com }\nenvironments:\n  - name: staging\n    backend: { type: file, path: s.json }\n${verify}`;
    const loaded = loadConfigBytes(Buffer.from(text), { abs: '/repo/flagops.yml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    return loaded.config;
  };
  it('removing or changing the verification of an environment is a config/verify-changed warning', () => {
    const on = withVerify('    verify: { project: group/e2e-tests }\n');
    expect(policyChanges(on, withVerify('')).map((f) => [f.code, f.message])).toEqual([
      ['config/verify-changed', 'staging: verify group/e2e-tests@main, timeout 30m → (not set)'],
    ]);
    expect(policyChanges(on, withVerify('    verify: { project: group/e2e-tests, timeout: 1m }\n')).map((f) => f.message)).toEqual([
      'staging: verify group/e2e-tests@main, timeout 30m → group/e2e-tests@main, timeout 1m',
    ]);
    expect(policyChanges(on, on)).toEqual([]);
  });
});
