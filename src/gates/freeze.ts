/**
 * freeze: `now` is outside the deploy freeze periods of `freeze.project` (cron start/end in an IANA time zone,
 * evaluated at run time like GitLab's Ci::FreezePeriodStatus: active from a start until the next end, both included).
 */
import { Cron } from 'croner';
import type { FreezePeriod } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { formatUtc } from '../util/duration.js';
import { gateFinding, noMemo, requirePort } from './common.js';
import type { FlagChange, GateContext } from './types.js';

export type PeriodStatus =
  | { period: FreezePeriod; active: false }
  | { period: FreezePeriod; active: true; since: Date; until: Date | undefined }
  | { period: FreezePeriod; invalid: string };

/** Pure: is the period active at `now`? */
export function freezeStatus(period: FreezePeriod, now: Date): PeriodStatus {
  try {
    const opts = { timezone: period.cronTimezone || 'UTC', mode: '5-or-6-parts' as const };
    const start = new Cron(period.freezeStart, opts);
    const end = new Cron(period.freezeEnd, opts);
    // croner's previousRuns excludes the reference itself: +1s makes a start at exactly `now` count
    const lastStart = start.previousRuns(1, new Date(now.getTime() + 1000))[0];
    const lastEnd = end.previousRuns(1, now)[0];
    const until = end.nextRun(new Date(now.getTime() - 1000)) ?? undefined;
    if (!lastStart || (lastEnd && lastEnd >= lastStart)) return { period, active: false };
    return { period, active: true, since: lastStart, until };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    return { period, invalid: text.split(' Original error')[0] ?? text };
  }
}

export async function freezeGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const freeze = ctx.env.freeze;
  if (!freeze || change.kind !== 'rollout') return [];
  const port = requirePort(ctx, 'the freeze gate');
  const memo = ctx.memo ?? noMemo;
  const periods = await memo(`freeze:${freeze.project}`, () => port.listFreezePeriods(freeze.project));
  const findings: Finding[] = [];
  const active: Extract<PeriodStatus, { active: true }>[] = [];
  for (const period of periods) {
    const s = freezeStatus(period, ctx.now);
    if ('invalid' in s) {
      findings.push(
        gateFinding(change, {
          code: 'freeze/invalid-period',
          message:
            `${change.env}: the deploy freeze period ${period.id} of ${freeze.project} ` +
            `(${period.freezeStart} → ${period.freezeEnd}, ${period.cronTimezone}) cannot be evaluated: ${s.invalid}. ` +
            'Fix it in the project settings (CI/CD > Deploy freezes).',
        }),
      );
    } else if (s.active) active.push(s);
  }
  if (active.length > 0) {
    const ends = active.map((a) => a.until?.getTime() ?? Number.POSITIVE_INFINITY);
    const last = Math.max(...ends);
    const first = active[0] as (typeof active)[number];
    const window = `${first.period.freezeStart} → ${first.period.freezeEnd}, ${first.period.cronTimezone || 'UTC'}`;
    findings.push(
      gateFinding(change, {
        code: 'freeze/active',
        message:
          `${change.env}: a deploy freeze of ${freeze.project} is active (${window}; since ${formatUtc(first.since)})` +
          (Number.isFinite(last)
            ? `, until ${formatUtc(new Date(last))}. Wait until it ends`
            : '. Wait until it ends') +
          '; rollbacks are not held by freezes.',
        hint: 'Or merge now: the scheduled apply rolls it out after the freeze.',
      }),
    );
  }
  return findings;
}
