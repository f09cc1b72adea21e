import { describe, expect, it } from 'vitest';
import { sortFindingGroups, sortFindings, type Finding } from './finding.js';

const f = (file: string, line: number | undefined, code = 'x', severity: Finding['severity'] = 'error'): Finding => ({
  code,
  severity,
  file,
  ...(line === undefined ? {} : { line, column: 1 }),
  message: `${file}:${line}:${code}`,
});

describe('sortFindingGroups', () => {
  it('gives the order of one sort of all when the groups are in file order', () => {
    const groups = [
      { file: 'flags/a.yml', findings: [f('flags/a.yml', 9), f('flags/a.yml', 2, 'b'), f('flags/a.yml', 2, 'a'), f('flags/a.yml', undefined)] },
      { file: 'flags/b-x/c.yml', findings: [] },
      { file: 'flags/b-x/d.yml', findings: [f('flags/b-x/d.yml', 1), f('flags/b-x/d.yml', 4, 'y'), { ...f('flags/b-x/d.yml', 4, 'y'), message: 'tie' }] },
      { file: 'flags/B/c.yml', findings: [f('flags/B/c.yml', 3, 'w', 'warning'), f('flags/B/c.yml', 3, 'w', 'error')] },
    ];
    const sorted = sortFindingGroups(groups);
    expect(sorted).toEqual(sortFindings(groups.flatMap((g) => g.findings)));
    expect(sorted.map((x) => x.message)).toEqual(['flags/a.yml:undefined:x', 'flags/a.yml:2:a', 'flags/a.yml:2:b', 'flags/a.yml:9:x', 'flags/b-x/d.yml:1:x', 'flags/b-x/d.yml:4:y', 'tie', 'flags/B/c.yml:3:w', 'flags/B/c.yml:3:w']);
  });

  it('sorts all at once when the groups are out of order, repeat a file, or hold another file', () => {
    const outOfOrder = [
      { file: 'z.yml', findings: [f('z.yml', 1)] },
      { file: 'a.yml', findings: [f('a.yml', 1)] },
    ];
    expect(sortFindingGroups(outOfOrder).map((x) => x.file)).toEqual(['a.yml', 'z.yml']);
    const repeated = [
      { file: 'a.yml', findings: [f('a.yml', 5)] },
      { file: 'a.yml', findings: [f('a.yml', 1)] },
    ];
    expect(sortFindingGroups(repeated).map((x) => x.line)).toEqual([1, 5]);
    const foreign = [
      { file: 'a.yml', findings: [f('c.yml', 1)] },
      { file: 'b.yml', findings: [f('b.yml', 1)] },
    ];
    expect(sortFindingGroups(foreign).map((x) => x.file)).toEqual(['b.yml', 'c.yml']);
    // an empty group's place does not matter
    const emptyOutOfPlace = [
      { file: 'a.yml', findings: [f('a.yml', 1)] },
      { file: 'z.yml', findings: [] },
      { file: 'b.yml', findings: [f('b.yml', 1)] },
    ];
    expect(sortFindingGroups(emptyOutOfPlace).map((x) => x.file)).toEqual(['a.yml', 'b.yml']);
  });
});
