import { describe, expect, it } from 'vitest';
import { camelName, CLEANUP_END, cleanupMarker, renderCleanupBody, type CleanupFacts } from './cleanup-body.js';

const facts: CleanupFacts = {
  flag: 'my_flag',
  file: 'flags/my_flag.yml',
  reasons: [{ code: 'hygiene/off', message: 'my_flag has been off', hint: 'Remove it.' }],
  envs: ['dev', 'production'],
  type: 'wip',
  rolloutIssueUrl: 'https://gitlab.example.com/group/app/-/issues/1',
};

describe('renderCleanupBody', () => {
  it('renders the same text from its own output: a re-render changes nothing until the facts do', () => {
    const first = renderCleanupBody(facts);
    expect(first.startsWith(`${cleanupMarker('my_flag')}\n`)).toBe(true);
    expect(first.trimEnd().endsWith(CLEANUP_END)).toBe(true);
    expect(renderCleanupBody(facts, first)).toBe(first);
    expect(first).toContain('- **off**: my_flag has been off\n  Next step: Remove it.');
    expect(first).toContain('`config/feature_flags/wip/my_flag.yml`');
    expect(first).toContain('deployed to every environment (dev, production)');
    expect(renderCleanupBody({ ...facts, reasons: [...facts.reasons, { code: 'hygiene/lifespan', message: 'late' }] }, first)).not.toBe(first);
  });

  it('keeps ticked boxes and the text around flagops\' part; a box whose text changed is unticked', () => {
    const first = renderCleanupBody(facts);
    const edited = `Owner: @luke\n${first.replace('- [ ] Merge that merge request', '- [x] Merge that merge request').replace('- [ ] Close the rollout', '- [x] Close the rollout')}\nNotes below.\n`;
    const next = renderCleanupBody({ ...facts, rolloutIssueUrl: 'https://gitlab.example.com/group/app/-/issues/2' }, edited);
    expect(next.startsWith('Owner: @luke\n<!-- flagops:cleanup flag=my_flag -->')).toBe(true);
    expect(next).toContain('- [x] Merge that merge request');
    expect(next).toContain('- [ ] Close the rollout issue (https://gitlab.example.com/group/app/-/issues/2)');
    expect(next.endsWith(`${CLEANUP_END}\n\nNotes below.\n`)).toBe(true);
  });

  it('names the frontend spelling of the flag for the code search', () => {
    expect(camelName('zentao_issues_integration')).toBe('zentaoIssuesIntegration');
    expect(renderCleanupBody(facts)).toContain("`git grep -nwE 'my_flag|myFlag'`");
    expect(renderCleanupBody({ ...facts, flag: 'single' })).toContain("`git grep -nwE 'single'`");
  });
});
