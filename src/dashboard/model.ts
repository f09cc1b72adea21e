/**
 * The dashboard's data model (`flagops report --format json`, and what `--html` draws): every flag × every
 * environment with its state in the file, what flagops last applied there, the live state when read, and per
 * environment a timeline of the applied exposure and of the file's changes. Pure types and the exposure bands.
 */
import type { BackendType } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import { exposure, normalizeState, percentageOf, type FlagState, type MaybeState } from '../model/state.js';

export const DASHBOARD_VERSION = 1;

/**
 * Exposure bands, lowest first: `none` (not managed, nothing known), `off` (off or absent), `actors` (actors or
 * feature groups only), `low` (a percentage ≤ 10), `mid` (≤ 50), `high` (< 100), `on` (fully on).
 */
export const BANDS = ['none', 'off', 'actors', 'low', 'mid', 'high', 'on'] as const;
export type Band = (typeof BANDS)[number];

/** Where a live state came from: the backend read now (`--live`, and file backends always), or a published snapshot. */
export type LiveSource = 'backend' | 'snapshot';

export interface StateView {
  /** null: no persisted state (the flag falls back to default_enabled). */
  state: FlagState | null;
  band: Band;
  /** Short text for a cell: `on`, `off`, `unset`, `25%`, `2 actors`, `default on`. */
  label: string;
}

export interface AppliedView extends StateView {
  /** When flagops applied it (the record's time). */
  at: string;
  /** The applied commit, when the record names one. */
  sha?: string;
}

export interface LiveView extends StateView {
  /** The ring instance (the environment's own name for one instance). */
  instance: string;
  source: LiveSource;
  readAt: string;
}

export interface DashboardCell {
  /** The flag file's state for the environment now. */
  desired: StateView;
  /** The newest converged apply flagops recorded; absent when no record says. */
  applied?: AppliedView;
  /** Live state per instance, when read. */
  live?: LiveView[];
  /** The band the environment has now: live, else applied, else the file's. */
  current: Band;
  /** The file differs from what was last applied (from live when no record exists). */
  pending: boolean;
  /** Live differs from what flagops last applied. */
  drift: boolean;
  /** The name is a licensed feature's and the environment's backend is gitlab-features; `forced`: listed in its `force`. */
  licensed?: { forced: boolean };
}

/** From `at` on, the environment held `band` (a point of a step chart). */
export interface TimelinePoint {
  at: string;
  band: Band;
  label: string;
  sha?: string;
}

export interface EnvTimeline {
  /** Converged applies that changed the flag, oldest first; the first one may be before the window (clamped there). */
  applied: TimelinePoint[];
  /** Commits of the flag file that changed this environment's state, oldest first. */
  file: TimelinePoint[];
}

export interface DashboardFlag {
  name: string;
  file: string;
  group?: string;
  type?: string;
  /** The file has `environments`. */
  managed: boolean;
  defaultEnabled: boolean;
  cells: Record<string, DashboardCell>;
  timeline: Record<string, EnvTimeline>;
  /** The hygiene reasons found for it (`hygiene/lifespan`, …). */
  findings: string[];
}

export interface DashboardEnvironment {
  name: string;
  backend: BackendType;
  /** What records flagops' applies there: the flag repository's deployments, the file backend, or nothing. */
  records: 'deployments' | 'file' | 'none';
  live?: { source: LiveSource; readAt: string };
}

export interface DashboardModel {
  dashboardVersion: typeof DASHBOARD_VERSION;
  generatedAt: string;
  /** Start of the timelines' window. */
  since: string;
  commit?: string;
  environments: DashboardEnvironment[];
  flags: DashboardFlag[];
  /** Hygiene findings and notes (src/hygiene). */
  findings: Finding[];
}

/** The band of a state; `undefined` counts as default_enabled. */
export function bandOf(state: MaybeState, defaultEnabled: boolean): Band {
  const e = exposure(state, defaultEnabled);
  if (e === 0) return 'off';
  if (e === 1) return 'actors';
  if (e >= 102) return 'on';
  const p = e - 1;
  return p <= 10 ? 'low' : p <= 50 ? 'mid' : 'high';
}

export function labelOf(state: MaybeState, defaultEnabled: boolean): string {
  const s = normalizeState(state);
  if (s === undefined) return defaultEnabled ? 'default on' : 'unset';
  if (s === true) return 'on';
  if (s === false) return 'off';
  const p = percentageOf(s);
  if (p > 0) return `${p}%`;
  const n = Object.values(s.actors ?? {}).reduce((sum, list) => sum + list.length, 0) + (s.feature_groups?.length ?? 0);
  return `${n} actor${n === 1 ? '' : 's'}`;
}

export function viewOf(state: MaybeState, defaultEnabled: boolean): StateView {
  return { state: state ?? null, band: bandOf(state, defaultEnabled), label: labelOf(state, defaultEnabled) };
}
