/** `hygiene` in flagops.yml with its defaults: GitLab's feature-flag blueprint lifespans, 30-day thresholds. */
import type { FlagopsConfig } from '../config/types.js';

/** Months; null: unlimited. https://docs.gitlab.com/development/feature_flags/#feature-flag-types */
export const DEFAULT_LIFESPANS: Readonly<Record<string, number | null>> = {
  gitlab_com_derisk: 2,
  wip: 4,
  beta: 6,
  experiment: 6,
  ops: null,
};

export interface HygieneSettings {
  lifespans: Record<string, number | null>;
  fullyOnDays: number;
  offDays: number;
  /** `cleanup_issues`: where `--open-issues` puts them (undefined: each rollout issue's project) and extra labels. */
  cleanupIssues: { project?: string; labels: string[] };
}

export function hygieneSettings(config: Pick<FlagopsConfig, 'hygiene'>): HygieneSettings {
  const h = config.hygiene ?? {};
  const lifespans: Record<string, number | null> = Object.assign(Object.create(null) as Record<string, number | null>, DEFAULT_LIFESPANS, h.lifespans ?? {});
  const c = h.cleanup_issues ?? {};
  return {
    lifespans,
    fullyOnDays: h.fully_on_days ?? 30,
    offDays: h.off_days ?? 30,
    cleanupIssues: { ...(c.project ? { project: c.project } : {}), labels: [...(c.labels ?? [])] },
  };
}
