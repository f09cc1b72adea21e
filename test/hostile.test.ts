/**
 * Hostile input, one row per case: each must end in a clear message and its documented exit code, with the JSON
 * report written, never a stack trace, a hang or a write to a backend.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from './helpers/tmp-tree.js';

const tree = useTmpTree();
const CONFIG = `flags: flags\n${THREE_FILE_ENVS}`;
const HEAD = 'name: my_flag\ntype: wip\n';
const unknownKeys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n');

interface Row {
  name: string;
  files: Record<string, string>;
  args: string[];
  code: number;
  /** Finding codes expected in the JSON report (each at least once). */
  codes?: string[];
  stderr?: RegExp;
  check?: (report: { findings: { code: string; message: string }[] }, dir: string) => void;
}

const ROWS: Row[] = [
  {
    name: '60,000 unknown keys: linear, and the findings capped with "… and N more"',
    files: { 'flags/my_flag.yml': `${HEAD}${unknownKeys(60_000)}\n` },
    args: ['validate'],
    code: 1,
    codes: ['schema/unknown-key', 'file/more-findings'],
    check: (report) => {
      expect(report.findings.length).toBeLessThanOrEqual(51);
      expect(report.findings.find((f) => f.code === 'file/more-findings')!.message).toMatch(/… and 59950 more findings/);
    },
  },
  {
    name: 'percentage 1e-7 (passes a rounded multipleOf)',
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev:\n    percentage_of_time: 1e-7\n` },
    args: ['validate'],
    code: 1,
    codes: ['schema/percentage-decimals'],
  },
  {
    name: 'percentage 50.000000001',
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev:\n    percentage_of_time: 50.000000001\n` },
    args: ['validate'],
    code: 1,
    codes: ['schema/percentage-decimals'],
  },
  {
    name: "actor paths '../../etc' and 'g1/p1?x=1'",
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev:\n    actors:\n      projects: ['../../etc', 'g1/p1?x=1', 'g1/sub.group/p-1']\n` },
    args: ['validate'],
    code: 1,
    codes: ['actor/path'],
    check: (report) => expect(report.findings.filter((f) => f.code === 'actor/path').map((f) => f.message)).toEqual([expect.stringContaining("'../../etc'"), expect.stringContaining("'g1/p1?x=1'")]),
  },
  {
    name: 'an environment named constructor (and a flag named constructor)',
    files: {
      'flagops.yml': 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: file, path: state/dev.json }\n  - name: constructor\n    backend: { type: file, path: state/c.json }\n',
      'flags/constructor.yml': 'name: constructor\ntype: wip\nenvironments:\n  dev: true\n',
    },
    args: ['apply'],
    code: 0,
    check: (_report, dir) => {
      expect(JSON.parse(readFileSync(join(dir, 'state', 'dev.json'), 'utf8')).flags).toEqual({ constructor: true });
      expect(existsSync(join(dir, 'state', 'c.json'))).toBe(false);
    },
  },
  {
    name: 'a state file {"x": null}',
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev: true\n`, 'state/dev.json': '{"x": null}' },
    args: ['apply', '--env', 'dev'],
    code: 2,
    codes: ['error/config'],
    stderr: /state file .*dev\.json is not a flagops state file: it has no 'flags' map/,
  },
  {
    name: 'a state file whose state is null or has an unknown condition',
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev: true\n`, 'state/dev.json': '{"version": 1, "flags": {"a": {"percent": 5}}}' },
    args: ['apply', '--env', 'dev'],
    code: 2,
    codes: ['error/config'],
    stderr: /flags\.a: unknown condition 'percent'/,
  },
  {
    name: 'a malformed plan file',
    files: { 'flags/my_flag.yml': `${HEAD}environments:\n  dev: true\n`, 'plan.json': '{"planVersion": 1, "environments": [{"env": "dev", "backend": "file", "flags": [{"flag": "../x"}]}]}' },
    args: ['apply', '--env', 'dev', '--plan', 'plan.json'],
    code: 2,
    codes: ['error/usage'],
    stderr: /plan\.json is not a flagops plan: environments\[0\]\.flags\[0\]\.flag is not a flag name/,
  },
];

describe('hostile input', () => {
  it.each(ROWS)('$name', async (row) => {
    const dir = tree({ 'flagops.yml': CONFIG, ...row.files });
    const run = await cli([...row.args, '--format', 'json', '--output', 'report.json'], { cwd: dir });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(row.code);
    if (row.stderr) expect(run.stderr).toMatch(row.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    for (const code of row.codes ?? []) expect(report.findings.map((f: { code: string }) => f.code)).toContain(code);
    row.check?.(report, dir);
    // no state was written by a refused run
    if (row.code !== 0) expect(existsSync(join(dir, 'state', 'staging.json'))).toBe(false);
  });
});

describe('hostile GitLab answers', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it.each([
    ['declared over 64 MiB', true],
    ['streamed past 64 MiB without a length', false],
  ])('a response body %s: exit 3, one request, not retried, report written', async (_name, declared) => {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const size = 65 * 1024 * 1024;
      res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(size) } : {}) });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < size) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      req.socket.on('error', () => {});
      pump();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = tree({
      'flagops.yml': `flags: flags\nenvironments:\n  - name: dev\n    backend: { type: gitlab-features, url: 'http://127.0.0.1:${port}', token_env: T }\n`,
      'flags/my_flag.yml': `${HEAD}environments:\n  dev: true\n`,
    });
    const run = await cli(['apply', '--format', 'json', '--output', 'report.json'], { cwd: dir, env: { T: 'secret-token-value' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/response body .*over the 67108864-byte limit; not retried/);
    expect(run.stderr).not.toContain('secret-token-value');
    expect(seen).toEqual(['GET /api/v4/features']);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.findings[0].code).toBe('error/remote');
  });
});
