import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../test/helpers/tmp-tree.js';
import { validateFlags } from './run-rules.js';

const tree = useTmpTree();

function validate(body: string) {
  const dir = tree({ 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}`, 'flags/my_flag.yml': `name: my_flag\ntype: beta\n${body}` });
  const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return validateFlags({ config: loaded.config }).findings.filter((f) => f.code === 'actor/form');
}

describe('actor/form: repositories are written so that they read back', () => {
  it('a repository without its suffix is refused at the entry, naming the accepted form', () => {
    const f = validate('environments:\n  staging:\n    actors:\n      repositories:\n        - group/app.git\n        - group/app\n');
    expect(f).toEqual([
      expect.objectContaining({
        file: 'flags/my_flag.yml',
        line: 8,
        column: 11,
        env: 'staging',
        message: "staging: repositories entry 'group/app' has no repository suffix",
        hint: 'write group/app.git (or group/app.wiki.git, group/app.design.git)',
      }),
    ]);
  });

  it('in a flow list too, at the item', () => {
    const f = validate('environments:\n  dev: { actors: { repositories: [a/b.wiki.git, a/b] } }\n');
    expect(f.map((x) => [x.line, x.column, x.hint])).toEqual([[4, 49, 'write a/b.git (or a/b.wiki.git, a/b.design.git)']]);
  });

  it('snippet repositories are refused; project, wiki and design repositories pass', () => {
    const f = validate('environments:\n  dev:\n    actors:\n      repositories: [snippets/12.git, g/p/snippets/3.git, g/p.git, g/p.wiki.git, g/p.design.git]\n');
    expect(f.map((x) => x.message)).toEqual([
      "dev: repositories entry 'snippets/12.git' is a snippet repository, which GitLab stores under a hashed id no path maps back to",
      "dev: repositories entry 'g/p/snippets/3.git' is a snippet repository, which GitLab stores under a hashed id no path maps back to",
    ]);
  });
});
