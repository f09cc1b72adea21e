import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimSeed, SimSnapshot } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'gitlab-sim-cli-'));
const bundle = join(dir, 'gitlab-sim.cjs');
let child: ChildProcess | undefined;

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    proc.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
}

describe('standalone CLI (esbuild bundle)', () => {
  it('serves a seed, answers /-/sim/state, and dumps state on SIGTERM', async () => {
    const seed: SimSeed = {
      users: [{ username: 'root', admin: true }],
      tokens: [{ token: 'glpat-cli-0000000000', user: 'root', scopes: ['api'] }],
      projects: [{ path: 'group/app', mergeRequests: [{ iid: 7, state: 'merged', mergeCommitSha: 'abc' }] }],
      features: { seeded_flag: { percentageOfActors: 25 } },
    };
    const seedFile = join(dir, 'seed.json');
    const dumpFile = join(dir, 'dump.json');
    writeFileSync(seedFile, JSON.stringify(seed));
    child = spawn(process.execPath, [bundle, seedFile, '--dump', dumpFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { url } = JSON.parse(await firstLine(child)) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const headers = { 'PRIVATE-TOKEN': 'glpat-cli-0000000000', 'Content-Type': 'application/json' };
    const post = await fetch(`${url}/api/v4/features/cli_flag`, {
      method: 'POST',
      headers,
      body: '{"value":"true"}',
    });
    expect(post.status).toBe(201);
    const mr = (await (
      await fetch(`${url}/api/v4/projects/group%2Fapp/merge_requests/7`, { headers })
    ).json()) as { merge_commit_sha: string };
    expect(mr.merge_commit_sha).toBe('abc');

    const more: SimSeed = {
      projects: [
        { path: 'group/app', deployments: [{ environment: 'gprd', sha: 'abc', status: 'success' }] },
      ],
    };
    const seeded = await fetch(`${url}/-/sim/seed`, { method: 'POST', body: JSON.stringify(more) });
    expect(seeded.status).toBe(204);

    const live = (await (await fetch(`${url}/-/sim/state`)).json()) as SimSnapshot;
    expect(live.state.projects[0]?.deployments.map((d) => d.sha)).toEqual(['abc']);
    expect(live.state.features.map((f) => f.name)).toEqual(['seeded_flag', 'cli_flag']);
    expect(JSON.parse(readFileSync(dumpFile, 'utf8')).state.features).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const dump = JSON.parse(readFileSync(dumpFile, 'utf8')) as SimSnapshot;
    expect(dump.requests.map((r) => r.status)).toEqual([201, 200]);
    expect(dump.unexpected).toEqual([]);
    expect(readFileSync(dumpFile, 'utf8')).not.toContain('glpat-cli');
  });
});
