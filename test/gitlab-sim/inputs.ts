/**
 * Inputs of the builders (`sim.addUser`, `sim.addMergeRequest`, …) and of the seed file.
 */
import type { DeploymentStatus, MrState, TokenScope } from './types.js';

export type Clock = () => Date;

export interface UserInput {
  username: string;
  id?: number;
  admin?: boolean;
  name?: string;
  namespaceId?: number;
}
export interface TokenInput {
  user: string;
  scopes: TokenScope[];
  revoked?: boolean;
  expiresAt?: string;
}
export interface GroupInput {
  path: string;
  id?: number;
  name?: string;
}
export interface ProjectInput {
  path: string;
  id?: number;
  defaultBranch?: string;
}
export interface CommitInput {
  sha: string;
  parents: string[];
  /** The commit's files (path → content), for the commits API's actions on branches started from it. */
  files?: Record<string, string>;
  /** The full commit message (closing keywords in it count for `closes_issues`). */
  message?: string;
}
export interface IssueRefInput {
  /** Project id or full path; default: the MR's own project. */
  project?: string | number;
  iid: number;
}
export interface MergeRequestInput {
  iid: number;
  title?: string;
  description?: string;
  state: MrState;
  mergeCommitSha?: string | null;
  squashCommitSha?: string | null;
  squash?: boolean;
  commits?: string[];
  sourceBranch?: string;
  targetBranch?: string;
  author?: string;
  /** Who merged it (default: the author). */
  mergedBy?: string;
  labels?: string[];
  mergedAt?: string;
  createdAt?: string;
  relatedIssues?: IssueRefInput[];
  closesIssues?: IssueRefInput[];
}
export interface IssueInput {
  iid: number;
  title?: string;
  description?: string;
  state?: 'opened' | 'closed';
  labels?: string[];
  author?: string;
  createdAt?: string;
}
export interface DeploymentInput {
  environment: string;
  sha: string;
  ref?: string;
  tag?: boolean;
  status: DeploymentStatus;
  user?: string;
  createdAt?: string;
  /** Defaults to `createdAt` for finished statuses (success, failed, canceled), null otherwise. */
  finishedAt?: string | null;
}
export interface FreezePeriodInput {
  freezeStart: string;
  freezeEnd: string;
  cronTimezone?: string;
}
