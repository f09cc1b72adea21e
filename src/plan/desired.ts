/**
 * Desired state from flag files (DESIGN §1), pure: which flags are managed and what each environment should hold.
 */
import type { FlagDocumentValid } from '../flags/load-flags.js';
import type { FlagState, MaybeState } from '../model/state.js';
import type { Locate } from '../yaml/bounded-parse.js';
import { own } from '../util/own.js';

export interface DesiredFlag {
  flag: string;
  /** Relative to the config's folder. */
  file: string;
  /** Has an `environments` key: applied; otherwise a definition only. */
  managed: boolean;
  defaultEnabled: boolean;
  environments: Record<string, FlagState>;
  introducedByUrl?: string;
  rolloutIssueUrl?: string;
  /** `type` and `group` of the definition (the feature-flag log's labels). */
  flagType?: string;
  group?: string;
  locate?: Locate;
}

export type DesiredSet = Map<string, DesiredFlag>;

export function desiredFromDocuments(docs: readonly FlagDocumentValid[]): DesiredSet {
  const out: DesiredSet = new Map();
  for (const doc of docs) out.set(doc.data.name, desiredFromData(doc.data, doc.file, doc.locate));
  return out;
}

/** From a parsed flag file (already validated, or read from history and checked loosely). */
export function desiredFromData(data: Record<string, unknown>, file: string, locate?: Locate): DesiredFlag {
  const envs = data.environments;
  const managed = envs !== undefined && envs !== null && typeof envs === 'object' && !Array.isArray(envs);
  const flag: DesiredFlag = {
    flag: String(data.name),
    file,
    managed,
    defaultEnabled: data.default_enabled === true,
    environments: managed ? ({ ...(envs as Record<string, FlagState>) } as Record<string, FlagState>) : {},
  };
  if (typeof data.introduced_by_url === 'string' && data.introduced_by_url) flag.introducedByUrl = data.introduced_by_url;
  if (typeof data.rollout_issue_url === 'string' && data.rollout_issue_url) flag.rolloutIssueUrl = data.rollout_issue_url;
  if (typeof data.type === 'string' && data.type) flag.flagType = data.type;
  if (typeof data.group === 'string' && data.group) flag.group = data.group;
  if (locate) flag.locate = locate;
  return flag;
}

/** The desired state of a flag in an environment: undefined = nothing persisted (or not managed). */
export function desiredIn(flag: DesiredFlag | undefined, env: string): MaybeState {
  if (!flag || !flag.managed) return undefined;
  return own(flag.environments, env);
}
