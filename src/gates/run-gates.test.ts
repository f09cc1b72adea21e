import { describe, expect, it } from 'vitest';
import { GitlabError } from '../errors/errors.js';
import type { GitlabPort } from '../gitlab/port.js';
import { runGates } from './run-gates.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';
import type { FlagChange, GateContext } from './types.js';

const staging = envConfig({ name: 'staging', index: 1, after: null });
const production = envConfig({ maxStep: 25, freeze: { project: 'group/app' } });
const change = (over: Partial<FlagChange>): FlagChange =>
  flagChange({
    flag: 'a',
    after: { percentage_of_actors: 25 },
    desiredByEnv: { staging: { percentage_of_actors: 50 } },
    ...over,
  });
const quietPort = {
  baseUrl: 'https://gitlab.example.com',
  listFreezePeriods: async () => [],
} as unknown as GitlabPort;
const ctx = (over: Partial<GateContext> = {}): GateContext =>
  gateContext({ env: production, environments: [staging, production], port: quietPort, ...over });

describe('runGates', () => {
  it('runs the configured gates per change and summarises pass/fail/skip', async () => {
    const changes = [
      change({ flag: 'ok' }),
      change({ flag: 'too_far', after: { percentage_of_actors: 75 }, desiredByEnv: { staging: true } }),
      change({ flag: 'back', kind: 'rollback', before: true, after: false }),
      change({ flag: 'same', kind: 'none' }),
      change({ flag: 'elsewhere', env: 'staging' }),
    ];
    const { findings, summaries } = await runGates({ changes, ctx: ctx() });
    expect(findings.map((f) => [f.flag, f.code])).toEqual([['too_far', 'step/too-large']]);
    expect(
      summaries.map((s) => [
        s.flag,
        s.gates.map(
          (g) => `${g.gate}:${g.status}${g.message && g.status === 'skip' ? `(${g.message})` : ''}`,
        ),
      ]),
    ).toEqual([
      ['ok', ['promotion:pass', 'step:pass', 'freeze:pass']],
      ['too_far', ['promotion:pass', 'step:fail', 'freeze:pass']],
      ['back', ['promotion:skip(rollback)', 'step:skip(rollback)', 'freeze:skip(rollback)']],
      ['same', ['promotion:skip(unchanged)', 'step:skip(unchanged)', 'freeze:skip(unchanged)']],
    ]);
    expect(summaries[1]?.gates[1]?.message).toMatch(/rises from 0% to 75%/);
  });

  it('lets GitLab errors propagate', async () => {
    const down = {
      baseUrl: 'https://gitlab.example.com',
      listFreezePeriods: async () => {
        throw new GitlabError(
          'remote',
          'GitLab failed to answer GET /api/v4/projects/group%2Fapp/freeze_periods: 502',
          { status: 502, method: 'GET', path: '/x' },
        );
      },
    } as unknown as GitlabPort;
    await expect(runGates({ changes: [change({})], ctx: ctx({ port: down }) })).rejects.toBeInstanceOf(
      GitlabError,
    );
  });

  it('a configured GitLab gate without a GitLab is a configuration error; nothing configured, nothing run', async () => {
    await expect(runGates({ changes: [change({})], ctx: ctx({ port: undefined }) })).rejects.toThrow(
      /needs the gitlab section/,
    );
    const { summaries } = await runGates({
      changes: [change({ env: 'staging' })],
      ctx: ctx({ env: staging, port: undefined }),
    });
    expect(summaries).toEqual([expect.objectContaining({ flag: 'a', env: 'staging', gates: [] })]);
  });

  it('keeps input order with concurrency', async () => {
    const changes = Array.from({ length: 9 }, (_, i) => change({ flag: `f${i}` }));
    const { summaries } = await runGates({ changes, ctx: ctx(), concurrency: 3 });
    expect(summaries.map((s) => s.flag)).toEqual(changes.map((c) => c.flag));
  });
});
