/**
 * Uncommitted edits to what apply reads (flag files, flagops.yml): HEAD is then not what was applied, so it must not
 * be recorded as applied (DESIGN §5). flagops' own files under `.flagops/` (state, snapshots) do not count.
 */
import { relative, sep } from 'node:path';
import type { FlagopsConfig } from '../config/types.js';
import { FlagopsError } from '../errors/errors.js';
import type { Git } from '../git/git.js';

/** Paths (relative to the repository) with uncommitted edits, or undefined outside a repository. */
export async function uncommittedEdits(config: FlagopsConfig, git: Git): Promise<string[] | undefined> {
  try {
    const root = await git.repoRoot();
    const toRepo = (abs: string): string => relative(root, abs).split(sep).join('/') || '.';
    const changed = await git.changedFiles({ base: 'HEAD', paths: [...config.flagDirs.map(toRepo), toRepo(config.file)] });
    return changed.map((f) => f.path).filter((p) => !p.split('/').includes('.flagops'));
  } catch (error) {
    if (error instanceof FlagopsError) return undefined;
    throw error;
  }
}
