import { describe, expect, it } from 'vitest';
import { renderLive } from './live-markdown.js';

describe('the live section of the check note', () => {
  it('deletes have their own count and section; the plan digest is shown', () => {
    const text = renderLive({
      source: 'snapshot',
      readAt: '2026-12-01T10:00:00.000Z',
      ageMs: 5 * 60_000,
      operations: [
        { flag: 'kept', action: 'set', live: true, desired: false },
        { flag: 'gone', action: 'delete', live: true, desired: undefined, why: 'removed file' },
        { flag: 'stray', action: 'delete', live: { percentage_of_time: 5 }, desired: undefined, why: 'prune' },
      ],
      noChange: [],
      pending: [],
      digest: '0123456789ab',
    }).join('\n');
    expect(text).toContain('plan digest `0123456789ab`');
    expect(text).toContain('1 to change, 2 to delete, 0 held');
    const [changes, deletes] = text.split('**Deletes live state (2)**');
    expect(changes).toContain('- ✏️ set `kept`: on → off');
    expect(changes).not.toContain('gone');
    expect(deletes).toContain('- 🗑️ **delete** `gone` (live on; removed file)');
    expect(deletes).toContain('- 🗑️ **delete** `stray` (live 5% of time; prune)');
  });
});
