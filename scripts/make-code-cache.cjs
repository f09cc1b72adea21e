'use strict';
// Makes dist/cli.cjs.v8cache for a bundle (scripts/build.mjs runs it): runs the bundle once, as the launcher
// does, on `flagops validate` of a small repository whose files have findings, and at exit writes the bundle's
// id followed by V8's code cache of every function that run compiled.
// usage: node scripts/make-code-cache.cjs BUNDLE REPO
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { runBundle } = require('../bin/run-bundle.cjs');

const [file, repo] = process.argv.slice(2);

/** A repository like the ones validate sees: a clean flag, warnings, an error, several environments. */
function writeRepo(dir) {
  const envs = ['dev', 'staging', 'production'];
  writeFileSync(
    join(dir, 'flagops.yml'),
    `flags: flags\nenvironments:\n${envs.map((n) => `  - name: ${n}\n    backend: { type: file, path: state/${n}.json }\n`).join('')}`,
  );
  mkdirSync(join(dir, 'flags', 'group'), { recursive: true });
  for (let i = 0; i < 40; i++) {
    const name = `cache_flag_${i}`;
    const kind = i % 4;
    const states = envs
      .map((n, j) => (j === 0 ? `  ${n}: true` : `  ${n}:\n    percentage_of_actors: ${i + 1}\n    actors:\n      users: [user${i}]`))
      .join('\n');
    writeFileSync(
      join(dir, 'flags', 'group', `${name}.yml`),
      `---\nname: ${name}\ndescription: Flag ${i}\nintroduced_by_url: https://gitlab.example.com/g/app/-/merge_requests/${i + 1}\n` +
        `rollout_issue_url: https://gitlab.example.com/g/app/-/issues/${i + 1}\nmilestone: '17.${i % 12}'\ngroup: group::cache\n` +
        `type: ${kind === 0 ? 'gitlab_com_derisk' : 'development'}\ndefault_enabled: false\n${kind === 0 ? 'actor: user\n' : ''}` +
        `${kind === 3 ? 'unknown_key: 1\n' : ''}environments:\n${states}\n`,
    );
  }
}

writeRepo(repo);
process.argv = [process.argv[0], file, 'validate', '--config', join(repo, 'flagops.yml')];
runBundle({
  file,
  name: 'flagops/dist/cli.cjs',
  onScript({ script, id }) {
    if (id === undefined) throw new Error(`${file} has no bundle id`);
    process.on('exit', () => {
      writeFileSync(`${file}.v8cache`, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
      // validate exits 1 on the repository's error finding: that is the run wanted, so the cache is made
      process.exitCode = 0;
    });
  },
});
