/** What `flagops history` reports (DESIGN-free: the output's own shape, see history-schema.ts). */
import type { Finding } from '../model/finding.js';
import type { FlagState } from '../model/state.js';

/** The commit that last changed the flag's file at or before the applied commit (first-parent history). */
export interface ChangeCommit {
  sha: string;
  author: string;
  committedAt: string;
  subject: string;
}

export interface HistoryMergeRequest {
  iid: number;
  url: string;
  title: string;
  author?: string;
  mergedBy?: string;
  mergedAt?: string;
}

/** Where a record comes from: a deployment of the flag repository, or the file backend's own `applied` list. */
export interface HistoryRecord {
  source: 'deployment' | 'state-file';
  /** Deployment id (deployments only). */
  id?: number;
  /** The commit flagops applied (deployments only). */
  sha?: string;
  /** Deployment status: success, running, failed, canceled; `applied` for a state-file record. */
  status: string;
  /** Who created the deployment (the apply job's token user), when GitLab names one. */
  deployer?: string;
}

export interface HistoryEntry {
  /** When the record finished (deployment) or was written (state file), ISO 8601. */
  appliedAt: string;
  /**
   * False when the recorded commit is not in this clone: what it applied is unknown, so `state`, `previous`,
   * `change` and `mergeRequest` are left out rather than trusted.
   */
  verified: boolean;
  /** The state the record gave the flag; null: no state there (deleted, or left out of the file). */
  state?: FlagState | null;
  /** The state before it (the previous record's), when known; null: none. */
  previous?: FlagState | null;
  record: HistoryRecord;
  change?: ChangeCommit;
  mergeRequest?: HistoryMergeRequest;
}

export interface EnvironmentHistory {
  environment: string;
  /** The ring instance the records are of, when they name one. */
  instance?: string;
  /** Something records applies here (false: no gitlab section and a GitLab backend). */
  recorded: boolean;
  /** Oldest first. */
  entries: HistoryEntry[];
  /** With --live: the state the backend holds now (null: none). */
  live?: FlagState | null;
  /** With --live, for a ring whose records name no instance: each instance's state now. */
  liveInstances?: Record<string, FlagState | null>;
}

export interface FlagHistory {
  flag: string;
  /** The flag file, relative to flagops.yml's folder. */
  file: string;
  defaultEnabled: boolean;
  environments: EnvironmentHistory[];
}

export interface HistoryResult {
  flags: FlagHistory[];
  /** Notes on what could not be read (info or warning); the CLI prints them. */
  findings: Finding[];
}
