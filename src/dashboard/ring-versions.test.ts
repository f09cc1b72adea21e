import { describe, expect, it } from 'vitest';
import type { AppliedVersion, InstanceHistory } from '../gates/types.js';
import { ringVersions } from './ring-versions.js';

const v = (at: string, value: unknown, converged = true): AppliedVersion => ({
  at: new Date(at),
  converged,
  state: { kind: 'state', state: value } as AppliedVersion['state'],
});
const h = (instance: string, ...versions: AppliedVersion[]): InstanceHistory => ({ instance, record: `ring1/${instance}`, versions });
const shape = (versions: AppliedVersion[]) => versions.map((x) => [x.at.toISOString().slice(11, 16), (x.state as { state: unknown }).state, x.converged]);

describe('ringVersions: one timeline for a ring', () => {
  it('a plain environment is its records as they are', () => {
    const versions = [v('2026-01-02T10:00:00Z', 25), v('2026-01-01T10:00:00Z', 0)];
    expect(ringVersions([h('prod', ...versions)])).toEqual(versions);
  });

  it('the ring holds a state from when its last instance converged; before, it is not converged', () => {
    const out = ringVersions([
      h('c1', v('2026-01-02T11:00:00Z', 25), v('2026-01-01T10:00:00Z', 0)),
      h('c2', v('2026-01-02T12:00:00Z', 25), v('2026-01-01T10:00:00Z', 0)),
      h('c3', v('2026-01-02T13:00:00Z', 25), v('2026-01-02T12:30:00Z', 25, false), v('2026-01-01T10:00:00Z', 0)),
    ]);
    expect(shape(out)).toEqual([
      ['13:00', 25, true],
      ['11:00', 25, false],
      ['10:00', 0, true],
    ]);
  });

  it('an instance that never converged keeps the ring not converged', () => {
    const out = ringVersions([h('c1', v('2026-01-02T11:00:00Z', 50)), h('c2', v('2026-01-02T11:05:00Z', 50, false))]);
    expect(shape(out)).toEqual([['11:00', 50, false]]);
  });
});
