// The launcher's code cache (bin/run-bundle.cjs): taken when it was made for the built bundle, refused — and the
// bundle compiled as usual — when it belongs to other text, is older than the bundle, or is damaged.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const RUN_BUNDLE = join(ROOT, 'bin', 'run-bundle.cjs');
mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
// inside the repository, so the bundle's own requires resolve node_modules as in dist/
const dir = mkdtempSync(join(ROOT, 'test-artifacts', 'launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `flagops --help` from `file` as the launcher does; whether the cache was taken, and what it printed. */
function run(file: string): { cached: boolean; status: number | null; stdout: string; stderr: string } {
  const script = `process.argv = [process.argv[0], ${JSON.stringify(file)}, '--help'];
require(${JSON.stringify(RUN_BUNDLE)}).runBundle({ file: ${JSON.stringify(file)}, onScript: ({ cached }) => process.stderr.write('cached=' + cached + '\\n') });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return { cached: /cached=true/.test(r.stderr), status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the built bundle and its cache, changed by `change`. */
function copy(name: string, change: (paths: { bundle: string; cache: string }) => void = () => {}): string {
  const bundle = join(dir, `${name}.cjs`);
  const cache = `${bundle}.v8cache`;
  copyFileSync(join(ROOT, 'dist', 'cli.cjs'), bundle);
  copyFileSync(join(ROOT, 'dist', 'cli.cjs.v8cache'), cache);
  // as after a build: the cache is written after the bundle
  utimesSync(bundle, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
  utimesSync(cache, new Date(1_000_000_001_000), new Date(1_000_000_001_000));
  change({ bundle, cache });
  return bundle;
}

describe('the code cache of the CLI bundle', () => {
  const reference = run(join(ROOT, 'dist', 'cli.cjs'));

  it('is taken for the bundle it was made for', () => {
    expect(reference).toMatchObject({ cached: true, status: 0 });
    expect(reference.stdout).toMatch(/^Usage: flagops/);
    expect(run(copy('same'))).toMatchObject({ cached: true, status: 0, stdout: reference.stdout });
  });

  it.each([
    ['missing', ({ cache }: { cache: string }) => rmSync(cache)],
    ['made for another bundle (its id differs)', ({ cache }: { cache: string }) => {
      const bytes = readFileSync(cache);
      bytes.write('0'.repeat(64), 0, 'latin1');
      writeFileSync(cache, bytes);
      utimesSync(cache, new Date(1_000_000_001_000), new Date(1_000_000_001_000));
    }],
    ['older than the bundle (edited in place, same length)', ({ bundle }: { bundle: string }) => {
      const text = readFileSync(bundle, 'utf8');
      writeFileSync(bundle, text.replace('Usage:', 'Usags:'));
    }],
    ['damaged (V8 refuses it)', ({ cache }: { cache: string }) => {
      const bytes = readFileSync(cache);
      writeFileSync(cache, bytes.subarray(0, 64 + 100));
      utimesSync(cache, new Date(1_000_000_001_000), new Date(1_000_000_001_000));
    }],
    ['empty', ({ cache }: { cache: string }) => writeFileSync(cache, '')],
  ])('is refused when %s, and the bundle runs compiled as usual', (name, change) => {
    const r = run(copy(name.split(' ')[0]!, change));
    expect(r.cached).toBe(false);
    expect(r.status).toBe(0);
    expect(r.stdout.replace('Usags:', 'Usage:')).toBe(reference.stdout);
  });

  it('a bundle without the id the build writes at its end runs, uncached', () => {
    const r = run(
      copy('no-id', ({ bundle }) => {
        const text = readFileSync(bundle, 'utf8');
        writeFileSync(bundle, text.slice(0, text.lastIndexOf('\n//# flagops-bundle ')) + '\n');
      }),
    );
    expect(r).toMatchObject({ cached: false, status: 0, stdout: reference.stdout });
  });
});
