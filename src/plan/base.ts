/** Which revision counts as "before" (DESIGN §3, Base revision). Pure. */
export interface BaseInputs {
  /** --base */
  option?: string;
  env: Record<string, string | undefined>;
  /** The commit last applied to the environment (apply only; from the GitLab deployment record). */
  lastApplied?: string;
}

export interface ResolvedBase {
  rev?: string;
  source: '--base' | 'CI_MERGE_REQUEST_DIFF_BASE_SHA' | 'last applied' | 'CI_COMMIT_BEFORE_SHA' | 'none';
}

export function resolveBase(inputs: BaseInputs): ResolvedBase {
  if (inputs.option) return { rev: inputs.option, source: '--base' };
  const diffBase = inputs.env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  if (diffBase) return { rev: diffBase, source: 'CI_MERGE_REQUEST_DIFF_BASE_SHA' };
  if (inputs.lastApplied) return { rev: inputs.lastApplied, source: 'last applied' };
  const before = inputs.env.CI_COMMIT_BEFORE_SHA;
  if (before && !/^0+$/.test(before)) return { rev: before, source: 'CI_COMMIT_BEFORE_SHA' };
  return { source: 'none' };
}
