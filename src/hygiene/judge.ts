/**
 * Pure: a flag's facts and the hygiene settings → its hygiene findings, each with the reason and the next step
 * (`hint`). Reasons (`code`): `hygiene/lifespan`, `hygiene/fully-on`, `hygiene/off`, `hygiene/no-rollout-issue`.
 */
import type { Finding } from '../model/finding.js';
import { exposure, type MaybeState } from '../model/state.js';
import type { AppliedVersion } from '../gates/types.js';
import { heldSince } from '../gates/soak.js';
import { formatUtc } from '../util/duration.js';
import { milestoneDate } from './milestone-date.js';
import type { HygieneSettings } from './settings.js';

export const HYGIENE_REASONS = ['lifespan', 'fully-on', 'off', 'no-rollout-issue'] as const;
export type HygieneReason = (typeof HYGIENE_REASONS)[number];

const DAY = 86_400_000;
const FULLY_ON = 102;

export interface FlagFacts {
  flag: string;
  file: string;
  type?: string;
  milestone?: string;
  intendedToRolloutBy?: string;
  rolloutIssueUrl?: string;
  /** The merge request that added the code behind the flag (where its references live). */
  introducedByUrl?: string;
  defaultEnabled: boolean;
  /** When a commit first added the file (undefined: not committed yet). */
  addedAt?: Date;
  /** The file's `environments`; undefined: a definition only, not managed. */
  environments?: Record<string, MaybeState>;
  /**
   * Per configured environment — per instance of a ring, by record name (`<ring>/<instance>`) — flagops' records of
   * applying it (newest first); undefined: nothing records it.
   */
  records: Record<string, readonly AppliedVersion[] | undefined>;
}

/** An environment, or one instance of a ring: whose desired state (`env`) and whose records (`record`). */
export type HygieneTarget = string | { env: string; record: string };

export function judgeFlag(facts: FlagFacts, settings: HygieneSettings, targets: readonly HygieneTarget[], now: Date): Finding[] {
  const envs = [...new Set(targets.map((t) => (typeof t === 'string' ? t : t.env)))];
  const out: Finding[] = [];
  const base = { severity: 'warning' as const, file: facts.file, flag: facts.flag };
  const lifespan = lifespanFinding(facts, settings, now);
  if (lifespan) out.push({ ...base, ...lifespan });
  if (facts.environments !== undefined) {
    if (!facts.rolloutIssueUrl) {
      out.push({
        ...base,
        code: 'hygiene/no-rollout-issue',
        message: `${facts.flag} is managed (it has environments) but has no rollout_issue_url: nobody can tell who owns its rollout and cleanup`,
        hint: 'Open a rollout issue ("[Feature flag] Rollout of NAME") and set rollout_issue_url in the file.',
      });
    }
    const on = heldEverywhere(facts, targets, now, settings.fullyOnDays, true);
    if (on) {
      out.push({
        ...base,
        code: 'hygiene/fully-on',
        message: `${facts.flag} has been fully on in every environment (${envs.join(', ')}) since ${formatUtc(on)}, more than ${settings.fullyOnDays} days`,
        hint: facts.type === 'ops' || facts.type === 'beta'
          ? 'Set default_enabled: true (then remove environments), or remove the flag from the code and delete its file.'
          : 'Remove the flag from the code (keep the enabled path), then delete its file: apply deletes it everywhere.',
      });
    }
    const off = heldEverywhere(facts, targets, now, settings.offDays, false);
    if (off) {
      out.push({
        ...base,
        code: 'hygiene/off',
        message: `${facts.flag} has been off or absent in every environment (${envs.join(', ')}) since ${formatUtc(off)}, more than ${settings.offDays} days: probably dead code`,
        hint: 'Remove the flag and the code behind it, then delete its file: apply deletes it everywhere.',
      });
    }
  }
  return out;
}

/** The flag's start: the earlier of its milestone's release and the day its file was added. */
export function flagStart(facts: Pick<FlagFacts, 'milestone' | 'addedAt'>): { at: Date; from: string } | undefined {
  const fromMilestone = facts.milestone ? milestoneDate(facts.milestone) : undefined;
  if (fromMilestone && (!facts.addedAt || fromMilestone <= facts.addedAt)) return { at: fromMilestone, from: `milestone ${facts.milestone}` };
  if (facts.addedAt) return { at: facts.addedAt, from: 'the commit that added its file' };
  return undefined;
}

function lifespanFinding(facts: FlagFacts, settings: HygieneSettings, now: Date): Pick<Finding, 'code' | 'message' | 'hint'> | undefined {
  const hint = 'Finish the rollout and remove the flag, or change its type if it is meant to stay (ops).';
  const intended = facts.intendedToRolloutBy && /^\d{4}-\d{2}-\d{2}$/.test(facts.intendedToRolloutBy) ? new Date(`${facts.intendedToRolloutBy}T00:00:00Z`) : undefined;
  if (intended && !Number.isNaN(intended.getTime()) && intended < now) {
    return { code: 'hygiene/lifespan', message: `${facts.flag} was intended to be rolled out by ${facts.intendedToRolloutBy}, which is past`, hint };
  }
  const months = facts.type !== undefined ? settings.lifespans[facts.type] : undefined;
  if (months === undefined || months === null) return undefined;
  const start = flagStart(facts);
  if (!start) return undefined;
  const end = addMonths(start.at, months);
  if (end >= now) return undefined;
  return {
    code: 'hygiene/lifespan',
    message: `${facts.flag} is a ${facts.type} flag, whose lifespan is ${months} month${months === 1 ? '' : 's'}; counted from ${start.from} (${formatUtc(start.at)}) it ended ${formatUtc(end)}`,
    hint,
  };
}

function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Since when every environment has held the flag fully on (`on`) or off/absent, by the files now and by flagops'
 * records; undefined unless that is longer than `days` everywhere. An environment nothing records never qualifies;
 * one whose records never mention the flag has had it absent since the file was added.
 */
function heldEverywhere(facts: FlagFacts, targets: readonly HygieneTarget[], now: Date, days: number, on: boolean): Date | undefined {
  if (targets.length === 0) return undefined;
  let latest: Date | undefined;
  for (const t of targets) {
    const env = typeof t === 'string' ? t : t.env;
    const desired = exposure(facts.environments?.[env], facts.defaultEnabled);
    if (on ? desired !== FULLY_ON : desired !== 0) return undefined;
    const records = facts.records[typeof t === 'string' ? t : t.record];
    if (!records) return undefined;
    // off with no record at all: flagops never wrote the flag there, so it has been absent since the file came
    const since = on ? sinceOn(records) : records.length === 0 ? facts.addedAt : sinceOff(records);
    if (!since) return undefined;
    if (!latest || since > latest) latest = since;
  }
  return latest && now.getTime() - latest.getTime() >= days * DAY ? latest : undefined;
}

function sinceOn(records: readonly AppliedVersion[]): Date | undefined {
  const held = heldSince(records, FULLY_ON);
  return held.held ? held.since : undefined;
}

/** Newest first while every record left the flag at no exposure (the mirror of soak's heldSince). */
function sinceOff(records: readonly AppliedVersion[]): Date | undefined {
  let since: Date | undefined;
  for (const v of records) {
    if (v.state.kind !== 'state' || exposure(v.state.state, v.state.defaultEnabled) !== 0) break;
    if (!v.converged) continue;
    if (!since || v.at < since) since = v.at;
  }
  return since;
}
