import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, line, makeRepo, peakRss, timePair } from './lib.mjs';

/**
 * The same benchmarks measured on the code before locations came from the parse itself (commit fa207dd), same
 * machine: shown next to today's so a regression is visible. Ratios are to the floor of the same run.
 */
const BEFORE = {
  clean5k: '1.40×',
  findingsQuiet5k: '6.07×',
  findings5k: '7.22×',
  findings50k: '9.49×',
  rssClean: '247 MB',
  rssFindings: '1201 MB',
};

/** Medians of each (ms) and the median of the pairs' ratios. */
function ratio(repo, args, runs = 15) {
  const [ours, floor, pairs] = timePair([BIN, 'validate', '--config', join(repo, 'flagops.yml'), ...args], [join(ROOT, 'bench', 'floor-validate.mjs'), join(repo, 'flags')], { runs });
  return `${ours.toFixed(0)} / ${floor.toFixed(0)} ms = ${pairs.toFixed(2)}×`;
}

function withRepo(spec, body) {
  const repo = makeRepo(spec);
  try {
    body(repo);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

export function benchValidate() {
  withRepo({ count: 5000, envs: 5 }, (repo) => {
    line('validate: 5,000 clean flags × 5 envs vs floor (node+readdir+read+js-yaml)', ratio(repo, ['--quiet']), `target ≤ 1.5× (before ${BEFORE.clean5k})`);
  });
  withRepo({ count: 5000, envs: 5, findings: true }, (repo) => {
    line('validate --quiet: 5,000 flags, warnings in every file, vs floor', ratio(repo, ['--quiet']), `target ≤ 1.5× (before ${BEFORE.findingsQuiet5k})`);
    line('validate: 5,000 flags, warnings in every file printed, vs floor', ratio(repo, []), `target ≤ 1.5× (before ${BEFORE.findings5k})`);
  });
  // one file of 60,000 unknown keys: 50 findings and "… and 59950 more", linear in the keys
  const hostile = mkdtempSync(join(tmpdir(), 'flagops-bench-'));
  try {
    mkdirSync(join(hostile, 'flags'));
    writeFileSync(join(hostile, 'flagops.yml'), 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: file, path: state/dev.json }\n');
    const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: 1\n`).join('');
    writeFileSync(join(hostile, 'flags', 'many_keys.yml'), `---\nname: many_keys\ndescription: x\ntype: ops\ndefault_enabled: false\nenvironments:\n  dev: true\n${keys}`);
    line('validate: one file of 60,000 unknown keys vs floor', ratio(hostile, [], 5), 'target well under 2 s (was 74 s)');
  } finally {
    rmSync(hostile, { recursive: true, force: true });
  }
  const [version, node] = timePair([BIN, '--version'], ['-e', ''], { runs: 15 });
  line("--version vs node -e ''", `${version.toFixed(0)} / ${node.toFixed(0)} ms = ${(version / node).toFixed(2)}×`, 'target ≤ 1.6×');

  withRepo({ count: 50_000, envs: 5 }, (big) => {
    const rss = peakRss([BIN, 'validate', '--config', join(big, 'flagops.yml'), '--quiet']);
    line('validate: peak RSS, 50,000 clean flags × 5 envs', `${rss.toFixed(0)} MB`, `target < 400 MB (before ${BEFORE.rssClean})`);
  });
  withRepo({ count: 50_000, envs: 5, findings: true }, (big) => {
    const rss = peakRss([BIN, 'validate', '--config', join(big, 'flagops.yml')]);
    line('validate: peak RSS, 50,000 flags, warnings in every file', `${rss.toFixed(0)} MB`, `target < 400 MB (before ${BEFORE.rssFindings})`);
    line('validate: 50,000 flags, warnings in every file printed, vs floor', ratio(big, [], 5), `target ≤ 1.5× (before ${BEFORE.findings50k})`);
  });
}
