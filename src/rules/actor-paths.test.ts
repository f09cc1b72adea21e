import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { validateFlags } from './run-rules.js';
import { actorPathProblem } from './actor-paths.js';

const tree = useTmpTree();

const CONFIG = `flags: flags
environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: production
    backend: { type: gitlab-feature-flags, url: https://gitlab.example.com, token_env: T, project: group/app, environment_scope: production }
`;

function pathFindings(body: string) {
  const dir = tree({ 'flagops.yml': CONFIG, 'flags/my_flag.yml': `name: my_flag\ntype: beta\nactor: user\n${body}` });
  const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return validateFlags({ config: loaded.config }).findings.filter((f) => f.code === 'actor/path');
}

describe('actor/path', () => {
  it('refuses a username that is no GitLab path, at its entry', () => {
    expect(pathFindings("environments:\n  dev:\n    actors:\n      users: [luke, 'a/../b']\n")).toEqual([
      expect.objectContaining({ env: 'dev', line: 7, column: 21, message: "dev: users entry 'a/../b' is not a username: it contains `/`" }),
    ]);
  });

  it('leaves Unleash user ids of project feature flags to backend-fit: they are the app\'s own strings', () => {
    expect(pathFindings("environments:\n  production:\n    actors:\n      users: ['qa.bot@example.com', '12345']\n")).toEqual([]);
  });
});

describe('actorPathProblem', () => {
  // plain names (letters, digits, `_`) take a shortcut: it must answer as the full rules do
  it.each([
    ['users', 'luke_1', undefined],
    ['users', 'a/b', 'is not a username: it contains `/`'],
    ['users', 'a-b', undefined],
    ['users', 'a.', expect.stringContaining("has the segment 'a.'")],
    ['projects', Array(21).fill('g').join('/'), undefined],
    ['projects', Array(22).fill('g').join('/'), 'has more than 21 path segments'],
    ['projects', 'g//p', expect.stringContaining('empty path segment')],
    ['projects', 'g/p/', expect.stringContaining('empty path segment')],
    ['repositories', 'g/p', undefined],
    ['repositories', 'g/p.git', undefined],
    ['groups', 'x'.repeat(255 * 21 + 1), 'is too long'],
    ['groups', '', 'is empty'],
  ] as const)('%s %s', (kind, name, problem) => {
    expect(actorPathProblem(kind, name)).toEqual(problem);
  });
});
