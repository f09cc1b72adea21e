import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, line, makeRepo, peakRss, timePair } from './lib.mjs';

export function benchValidate() {
  const repo = makeRepo({ count: 5000, envs: 5 });
  try {
    const [ours, floor] = timePair([BIN, 'validate', '--config', join(repo, 'flagops.yml'), '--quiet'], [join(ROOT, 'bench', 'floor-validate.mjs'), join(repo, 'flags')]);
    line('validate: 5,000 flags × 5 envs vs floor (node+read+js-yaml)', `${ours.toFixed(0)} / ${floor.toFixed(0)} ms = ${(ours / floor).toFixed(2)}×`, 'target ≤ 1.5×');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  const [version, node] = timePair([BIN, '--version'], ['-e', ''], { runs: 15 });
  line("--version vs node -e ''", `${version.toFixed(0)} / ${node.toFixed(0)} ms = ${(version / node).toFixed(2)}×`, 'target ≤ 1.6×');

  const big = makeRepo({ count: 50_000, envs: 5 });
  try {
    const rss = peakRss([BIN, 'validate', '--config', join(big, 'flagops.yml'), '--quiet']);
    line('validate: peak RSS, 50,000 flags × 5 envs', `${rss.toFixed(0)} MB`, 'target < 400 MB');
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
}
