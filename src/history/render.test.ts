import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { HISTORY_SCHEMA } from './history-schema.js';
import { renderHistoryJson, renderHistoryMarkdown, renderHistoryText } from './render.js';
import type { HistoryResult } from './types.js';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const result = (title: string, url = 'https://gitlab.example.com/group/flags/-/merge_requests/3'): HistoryResult => ({
  flags: [
    {
      flag: 'f',
      file: 'flags/f.yml',
      defaultEnabled: false,
      environments: [
        {
          environment: 'production',
          recorded: true,
          entries: [
            {
              appliedAt: '2026-11-02T10:00:00.000Z',
              verified: true,
              state: { percentage_of_actors: 25 },
              previous: null,
              record: { source: 'deployment', id: 9, sha: SHA, status: 'failed', deployer: 'bot' },
              change: { sha: SHA, author: 'Ada', committedAt: '2026-11-01T00:00:00Z', subject: 'subject' },
              mergeRequest: { iid: 3, url, title, author: 'ada', mergedBy: 'bob' },
            },
            { appliedAt: '2026-11-03T10:00:00.000Z', verified: false, record: { source: 'deployment', id: 10, sha: 'f'.repeat(40), status: 'success' } },
          ],
          live: true,
        },
      ],
    },
  ],
  findings: [],
});

describe('history renderers', () => {
  it('text: one line per entry, unverified records said so, no terminal escapes from GitLab titles', () => {
    const text = renderHistoryText(result('25% \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007'));
    expect(text).toBe(
      [
        'f  flags/f.yml',
        '  production',
        '    2026-11-02 10:00 UTC  unset (default off) → 25% of actors  abcdef01  !3 25% ?]8;;https://evil.example?click?]8;;?  by ada, merged by bob  (deployment #9 failed by bot)',
        '    2026-11-03 10:00 UTC  unverified: applied ffffffff, a commit not in this clone (deployment #10)',
        '    live: on',
        '',
      ].join('\n'),
    );
  });

  it('markdown: cells escaped, links only to http(s) and unable to end early', () => {
    const md = renderHistoryMarkdown(result('a | b <img src=x>', 'https://gitlab.example.com/x)(y z'));
    expect(md).toContain('| [!3](https://gitlab.example.com/x%29%28y%20z) a \\| b &lt;img src=x> | by ada, merged by bob |');
    expect(md).toContain('| 2026-11-03 10:00 UTC | ⚠️ unverified | `ffffffff` (not in this clone) |');
    expect(renderHistoryMarkdown(result('t', 'javascript:alert(1)'))).toContain('| !3 t |');
  });

  it('json: matches the schema, which refuses an unverified record that claims a state', () => {
    const ajv = new Ajv({ strict: false });
    const out = JSON.parse(renderHistoryJson(result('t')));
    expect(ajv.validate(HISTORY_SCHEMA, out), JSON.stringify(ajv.errors)).toBe(true);
    out.flags[0].environments[0].entries[1].state = true;
    expect(ajv.validate(HISTORY_SCHEMA, out)).toBe(false);
    delete out.flags[0].environments[0].entries[1].state;
    delete out.flags[0].environments[0].entries[0].state;
    expect(ajv.validate(HISTORY_SCHEMA, out)).toBe(false);
  });
});
