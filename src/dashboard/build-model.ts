/**
 * Pure: what collect.ts gathered (flag files, their git history, flagops' apply records, live states, hygiene
 * findings) → the dashboard model. The clock is passed in; nothing here reads a file or the network.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { AppliedVersion } from '../gates/types.js';
import type { Finding } from '../model/finding.js';
import { statesEqual, type FlagState, type MaybeState } from '../model/state.js';
import { own } from '../util/own.js';
import {
  DASHBOARD_VERSION,
  viewOf,
  type AppliedView,
  type DashboardCell,
  type DashboardFlag,
  type DashboardModel,
  type EnvTimeline,
  type LiveSource,
  type LiveView,
  type TimelinePoint,
} from './model.js';

/** The flag file at one commit. */
export interface FileRevision {
  sha: string;
  at: Date;
  /** undefined: the file had no `environments` there, or did not exist. */
  environments?: Record<string, MaybeState>;
  defaultEnabled: boolean;
}

export interface FlagInput {
  name: string;
  file: string;
  group?: string;
  type?: string;
  defaultEnabled: boolean;
  environments?: Record<string, MaybeState>;
  /** Per environment, flagops' records of applying it, newest first; undefined: nothing records it. */
  records: Record<string, readonly AppliedVersion[] | undefined>;
  /** The file's commits, newest first. */
  history: readonly FileRevision[];
}

export interface LiveInput {
  source: LiveSource;
  readAt: Date;
  instances: { instance: string; flags: ReadonlyMap<string, FlagState> }[];
}

export interface EnvInput {
  config: EnvironmentConfig;
  records: 'deployments' | 'file' | 'none';
  live?: LiveInput;
}

export interface BuildModelInput {
  now: Date;
  since: Date;
  commit?: string;
  envs: readonly EnvInput[];
  flags: readonly FlagInput[];
  findings: readonly Finding[];
  isLicensed: (name: string) => boolean;
}

export function buildModel(input: BuildModelInput): DashboardModel {
  const flags = [...input.flags].sort((a, b) => a.name.localeCompare(b.name)).map((f) => buildFlag(f, input));
  return {
    dashboardVersion: DASHBOARD_VERSION,
    generatedAt: input.now.toISOString(),
    since: input.since.toISOString(),
    ...(input.commit ? { commit: input.commit } : {}),
    environments: input.envs.map((e) => ({
      name: e.config.name,
      // a ring shows its first instance's backend kind (the page shows each instance's live value)
      backend: e.config.instances[0]!.backend.type,
      records: e.records,
      ...(e.live ? { live: { source: e.live.source, readAt: e.live.readAt.toISOString() } } : {}),
    })),
    flags,
    findings: [...input.findings],
  };
}

function buildFlag(flag: FlagInput, input: BuildModelInput): DashboardFlag {
  const cells: Record<string, DashboardCell> = Object.create(null);
  const timeline: Record<string, EnvTimeline> = Object.create(null);
  const licensedName = input.isLicensed(flag.name);
  for (const env of input.envs) {
    const name = env.config.name;
    cells[name] = buildCell(flag, env, licensedName);
    timeline[name] = {
      applied: appliedTimeline(flag.records[name], flag.defaultEnabled, input.since),
      file: fileTimeline(flag.history, name, input.since),
    };
  }
  const findings = [...new Set(input.findings.filter((f) => f.flag === flag.name && f.severity !== 'info').map((f) => f.code))].sort();
  return {
    name: flag.name,
    file: flag.file,
    ...(flag.group ? { group: flag.group } : {}),
    ...(flag.type ? { type: flag.type } : {}),
    managed: flag.environments !== undefined,
    defaultEnabled: flag.defaultEnabled,
    cells,
    timeline,
    findings,
  };
}

function buildCell(flag: FlagInput, env: EnvInput, licensedName: boolean): DashboardCell {
  const managed = flag.environments !== undefined;
  const desiredState = managed ? own(flag.environments!, env.config.name) : undefined;
  const desired = viewOf(desiredState, flag.defaultEnabled);
  if (!managed) desired.band = 'none';
  const applied = lastApplied(flag.records[env.config.name], flag.defaultEnabled);
  const live: LiveView[] | undefined = env.live?.instances.map((i) => ({
    ...viewOf(i.flags.get(flag.name), flag.defaultEnabled),
    instance: i.instance,
    source: env.live!.source,
    readAt: env.live!.readAt.toISOString(),
  }));
  const liveDiffers = (to: FlagState | null): boolean => (live ?? []).some((l) => !statesEqual(l.state ?? undefined, to ?? undefined));
  // pending: the file against what was applied; with no record, against what is live
  const pending = managed && (applied ? !statesEqual(desiredState, applied.state ?? undefined) : live ? liveDiffers(desired.state) : false);
  const drift = Boolean(applied && live && liveDiffers(applied.state));
  const licensed = licensedName
    ? env.config.instances.filter((i) => i.backend.type === 'gitlab-features')
    : [];
  const current = live?.[0]?.band ?? applied?.band ?? desired.band;
  return {
    desired,
    ...(applied ? { applied } : {}),
    ...(live ? { live } : {}),
    // a flag the files do not manage shows only what is live there, when something is
    current: !managed && !(live ?? []).some((l) => l.state !== null) ? 'none' : current,
    pending,
    drift,
    ...(licensed.length > 0
      ? { licensed: { forced: licensed.every((i) => i.backend.type === 'gitlab-features' && (i.backend.force ?? []).includes(flag.name)) } }
      : {}),
  };
}

/** The newest converged record, when it can be read; undefined when nothing says what was applied. */
function lastApplied(records: readonly AppliedVersion[] | undefined, defaultEnabled: boolean): AppliedView | undefined {
  for (const r of records ?? []) {
    if (!r.converged) continue;
    if (r.state.kind === 'unreadable') return undefined;
    const state = r.state.kind === 'state' ? r.state.state : undefined;
    const dflt = r.state.kind === 'state' ? r.state.defaultEnabled : defaultEnabled;
    return { ...viewOf(state, dflt), at: r.at.toISOString(), ...(r.sha ? { sha: r.sha } : {}) };
  }
  return undefined;
}

function appliedTimeline(records: readonly AppliedVersion[] | undefined, defaultEnabled: boolean, since: Date): TimelinePoint[] {
  const points: (TimelinePoint & { state: MaybeState; time: number })[] = [];
  for (const r of [...(records ?? [])].reverse()) {
    if (!r.converged || r.state.kind === 'unreadable') continue;
    const state = r.state.kind === 'state' ? r.state.state : undefined;
    const prev = points[points.length - 1];
    if (prev && statesEqual(prev.state, state)) continue;
    const view = viewOf(state, r.state.kind === 'state' ? r.state.defaultEnabled : defaultEnabled);
    points.push({ at: r.at.toISOString(), time: r.at.getTime(), band: view.band, label: view.label, state, ...(r.sha ? { sha: r.sha } : {}) });
  }
  return clampToWindow(points, since).map(({ at, band, label, sha }) => ({ at, band, label, ...(sha ? { sha } : {}) }));
}

/** Points before the window: only the last one stays, moved to the window's start (what held when it began). */
function clampToWindow<T extends { at: string; time: number }>(points: T[], since: Date): T[] {
  const start = since.getTime();
  const firstInside = points.findIndex((p) => p.time >= start);
  const before = firstInside === -1 ? points : points.slice(0, firstInside);
  const inside = firstInside === -1 ? [] : points.slice(firstInside);
  const held = before[before.length - 1];
  return held ? [{ ...held, at: since.toISOString(), time: start }, ...inside] : inside;
}

function fileTimeline(history: readonly FileRevision[], env: string, since: Date): TimelinePoint[] {
  const out: TimelinePoint[] = [];
  let prev: { managed: boolean; state: MaybeState } | undefined;
  for (const rev of [...history].reverse()) {
    const managed = rev.environments !== undefined;
    const state = managed ? own(rev.environments!, env) : undefined;
    if (prev && prev.managed === managed && statesEqual(prev.state, state)) continue;
    prev = { managed, state };
    if (rev.at < since) continue;
    const view = viewOf(state, rev.defaultEnabled);
    out.push({ at: rev.at.toISOString(), band: managed ? view.band : 'none', label: managed ? view.label : 'not managed', sha: rev.sha });
  }
  return out;
}
