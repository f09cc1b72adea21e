import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../config/types.js';
import type { AppliedVersion } from '../../gates/types.js';
import type { Finding } from '../../model/finding.js';
import type { MaybeState } from '../../model/state.js';
import { buildModel, type FileRevision, type FlagInput } from '../build-model.js';
import { packModel } from './pack.js';
import { pageCsp, renderPage } from './render-page.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const ENVS = ['dev', 'pre', 'staging', 'staging-ref', 'production'];
const envConfig = (name: string, i: number): EnvironmentConfig =>
  ({ name, index: i, backend: { type: 'file', path: `/x/${name}.json` }, instances: [{ name, backend: { type: 'file', path: `/x/${name}.json` } }], ring: false, after: null, drift: 'fail' }) as EnvironmentConfig;

/**
 * 1,000 flags × 5 environments with 90 days of history, shaped like a real flag repository: GitLab-length names,
 * 40 groups, a fifth with a hygiene finding. `active` of the flags were rolled out during the window (dev and pre
 * on, staging then production stepping through percentages: 1 to 5 commits, each applied to every environment);
 * the others last changed before it.
 */
function bigModel(active = 0.3) {
  const steps: MaybeState[] = [false, { percentage_of_actors: 10 }, { percentage_of_actors: 25 }, { percentage_of_actors: 50 }, true];
  const flags: FlagInput[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < 1000; i++) {
    const name = `feature_${['ai', 'ci', 'mr', 'search', 'registry'][i % 5]}_${(i * 7919).toString(36)}_rollout_of_component_${i}`;
    const reached = i % steps.length;
    const inWindow = (i % 100) / 100 < active;
    const records: Record<string, AppliedVersion[]> = {};
    const history: FileRevision[] = [];
    for (let s = 0; s <= reached; s++) {
      const at = new Date(NOW.getTime() - (inWindow ? 80 - s * 15 : 400 - s * 30) * DAY - (i % 97) * 60_000);
      history.unshift({ sha: createHash('sha1').update(`${i}:${s}`).digest('hex'), at, defaultEnabled: false, environments: { dev: true, pre: true, staging: steps[Math.min(s + 1, 4)], 'staging-ref': steps[Math.min(s + 1, 4)], production: steps[s] } });
    }
    for (const env of ENVS) {
      records[env] = history.map((h) => ({ at: new Date(h.at.getTime() + 3_600_000), converged: true, sha: h.sha, state: { kind: 'state', state: h.environments![env], defaultEnabled: false } }));
    }
    const environments = history[0]!.environments!;
    flags.push({ name, file: `flags/${name}.yml`, group: `group::team ${i % 40}`, type: ['beta', 'wip', 'gitlab_com_derisk', 'ops', 'experiment'][i % 5]!, defaultEnabled: false, environments, records, history });
    if (i % 5 === 0) {
      findings.push({ code: 'hygiene/lifespan', severity: 'warning', file: `flags/${name}.yml`, flag: name, message: `${name} is a beta flag, whose lifespan is 6 months; counted from milestone 17.${i % 12} (2024-0${1 + (i % 9)}-16 00:00 UTC) it ended 2024-11-16 00:00 UTC`, hint: 'Finish the rollout and remove the flag, or change its type if it is meant to stay (ops).' });
    }
  }
  return buildModel({ now: NOW, since: new Date(NOW.getTime() - 90 * DAY), envs: ENVS.map((e, i) => ({ config: envConfig(e, i), records: 'file' })), flags, findings, isLicensed: () => false });
}

describe('the dashboard page', () => {
  it('stays under 300 KB at 1,000 flags × 5 environments with 90 days of history', () => {
    const model = bigModel();
    const html = renderPage(model);
    const bytes = Buffer.byteLength(html);
    const json = Buffer.byteLength(JSON.stringify(model));
    const busy = Buffer.byteLength(renderPage(bigModel(1)));
    process.stdout.write(
      `dashboard page, 1,000 flags × 5 environments, 90 days: ${(bytes / 1024).toFixed(1)} KiB with 30% of the flags rolled out in the window ` +
        `(the model as --format json: ${(json / 1024).toFixed(0)} KiB); every flag rolled out in the window: ${(busy / 1024).toFixed(1)} KiB\n`,
    );
    expect(bytes).toBeLessThanOrEqual(300 * 1024);
    // every flag, every cell and every timeline point is in it
    const packed = packModel(model);
    expect(packed.f).toHaveLength(1000);
    expect(packed.f.every((f) => (f[5] as unknown[]).length === 5)).toBe(true);
    // each flag's production lane: its applies in the window, or the one state it held through it
    expect(model.flags.reduce((n, f) => n + f.timeline.production!.applied.length, 0)).toBe(300 * 3 + 700);
  });

  it('allows exactly its inline stylesheet and script, by hash, and loads nothing', () => {
    const html = renderPage(bigModel());
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const scripts = [...html.matchAll(/<script( type="application\/json" id="flagops-data")?>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    const code = scripts.find((m) => !m[1])![2]!;
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toBe(pageCsp());
    expect(csp).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(code)}; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).not.toMatch(/ style="| on[a-z]+="/);
  });

  it('embeds text from the files so that it cannot end its data block', () => {
    const model = bigModel();
    model.flags[0]!.group = '</script><script>alert(1)</script>';
    model.findings.push({ code: 'hygiene/off', severity: 'warning', flag: model.flags[0]!.name, message: 'a <!-- b \u2028 c' });
    const html = renderPage(model);
    const data = /<script type="application\/json" id="flagops-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toContain('<');
    const packed = JSON.parse(data) as { s: string[] };
    expect(packed.s).toContain('</script><script>alert(1)</script>');
    expect(packed.s).toContain('a <!-- b \u2028 c');
  });
});
