import { describe, expect, it } from 'vitest';
import { milestoneDate } from './milestone-date.js';

const day = (m: string): string | undefined => milestoneDate(m)?.toISOString().slice(0, 10);

describe('milestoneDate', () => {
  it('maps releases GitLab shipped on the 22nd', () => {
    expect(day('13.0')).toBe('2020-05-22');
    expect(day('13.12')).toBe('2021-05-22');
    expect(day('14.0')).toBe('2021-06-22');
    expect(day('14.6')).toBe('2021-12-22');
    expect(day('14.10')).toBe('2022-04-22');
    expect(day('15.0')).toBe('2022-05-22');
    expect(day('16.5')).toBe('2023-10-22');
  });
  it('maps releases on the third Thursday from 16.6 on', () => {
    expect(day('16.6')).toBe('2023-11-16');
    expect(day('17.0')).toBe('2024-05-16');
    expect(day('17.6')).toBe('2024-11-21');
    expect(day('18.0')).toBe('2025-05-15');
  });
  it('does not map what is no GitLab release', () => {
    for (const m of ['12.10', '14.11', '17.12', 'next', '', '16', '16.4.1']) expect(milestoneDate(m)).toBeUndefined();
  });
});
