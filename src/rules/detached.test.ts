import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detached } from './validate-files.js';

describe('detached', () => {
  it('is the same text', () => {
    expect(detached('bench_flag_1234567')).toBe('bench_flag_1234567');
    expect(detached('')).toBe('');
    expect(detached('é_ü')).toBe('é_ü');
  });

  it('keeps names cut from 300 texts of 64 KB without keeping the texts', () => {
    // in a process of its own, with a collector to call: the heap that 300 kept names hold, with and without a copy
    const held = (copy: boolean): number => {
      const script = `
        const detached = ${detached.toString()};
        globalThis.gc();
        const before = process.memoryUsage().heapUsed;
        const names = [];
        for (let i = 0; i < 300; i++) {
          const text = 'name: flag_name_number_' + i + '\\n' + '#'.repeat(65536) + i;
          const name = text.slice(6, text.indexOf('\\n'));
          names.push(${copy} ? detached(name) : name);
        }
        globalThis.gc();
        process.stdout.write(String(process.memoryUsage().heapUsed - before + 0 * names.length));
      `;
      return Number(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' }));
    };
    // the names as cut keep the 300 × 64 KB texts alive; the copies keep a few kilobytes
    expect(held(false)).toBeGreaterThan(15_000_000);
    expect(held(true)).toBeLessThan(1_000_000);
  });
});
