/**
 * What changed since the base revision (DESIGN §3 "Base revision"): the flag files' desired states at the base,
 * compared with the working tree, as per-environment `FlagChange`s for the gates and the plan.
 */
import { relative, sep } from 'node:path';
import type { FlagopsConfig } from '../config/types.js';
import type { FlagChange } from '../gates/types.js';
import type { Git } from '../git/git.js';
import { classifyChange, type MaybeState } from '../model/state.js';
import { parseYamlText, type Locate } from '../yaml/bounded-parse.js';
import { desiredFromData, desiredIn, type DesiredFlag, type DesiredSet } from './desired.js';


export interface BaseState {
  /** The base commit (full sha), or undefined for a first run with no base. */
  sha?: string;
  /** Desired state at the base of every flag file that changed since (keyed by flag name). */
  flags: DesiredSet;
  /** Flags whose file existed at the base but not in the working tree. */
  removed: DesiredFlag[];
  /** Names of flags whose file changed since the base (added, modified, renamed or deleted). */
  changed: Set<string>;
}

/** Reads the flag files that changed since `base` as they were there. */
export async function readBaseState(options: { config: FlagopsConfig; git: Git; base: string | undefined; current: DesiredSet }): Promise<BaseState> {
  const { config, git, base, current } = options;
  if (!base) return { flags: new Map(), removed: [], changed: new Set(current.keys()) };
  const sha = await git.revParse(base);
  const root = await git.repoRoot();
  const toRepo = (abs: string): string => relative(root, abs).split(sep).join('/');
  const configPrefix = toRepo(config.dir);
  const fromRepo = (p: string): string => (configPrefix ? p.slice(configPrefix.length + 1) : p);
  const changedFiles = await git.changedFiles({ base: sha, paths: config.flagDirs.map(toRepo) });
  const yamlFiles = changedFiles.filter((f) => /\.ya?ml$/.test(f.oldPath ?? f.path) || /\.ya?ml$/.test(f.path));
  const oldPaths = yamlFiles.filter((f) => f.status !== 'added').map((f) => f.oldPath ?? f.path);
  const contents = await git.showFiles(oldPaths.map((path) => ({ rev: sha, path })));
  const flags: DesiredSet = new Map();
  oldPaths.forEach((path, i) => {
    const text = contents[i];
    if (text === undefined) return;
    const parsed = parseYamlText(text);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return;
    const data = parsed.value as Record<string, unknown>;
    if (typeof data.name !== 'string') return;
    flags.set(data.name, desiredFromData(data, fromRepo(path)));
  });
  const currentByFile = new Map([...current.values()].map((f) => [f.file, f]));
  const changed = new Set<string>();
  for (const f of yamlFiles) {
    const now = currentByFile.get(fromRepo(f.path));
    if (now) changed.add(now.flag);
  }
  for (const name of flags.keys()) changed.add(name);
  const removed = [...flags.values()].filter((f) => !current.has(f.flag));
  return { sha, flags, removed, changed };
}

/** Per-environment changes of the changed flags (pure). Unchanged states are left out. */
export function computeChanges(options: {
  config: FlagopsConfig;
  current: DesiredSet;
  base: BaseState;
  envs?: readonly string[];
}): FlagChange[] {
  const { config, current, base } = options;
  const envs = config.environments.filter((e) => !options.envs || options.envs.includes(e.name));
  const out: FlagChange[] = [];
  for (const name of [...base.changed].sort()) {
    const now = current.get(name);
    const before = base.flags.get(name);
    const ref = now ?? before!;
    if (!ref) continue;
    const desiredByEnv = Object.create(null) as Record<string, MaybeState>;
    for (const e of config.environments) desiredByEnv[e.name] = desiredIn(now, e.name);
    for (const env of envs) {
      const b = desiredIn(before, env.name);
      const a = desiredIn(now, env.name);
      // a definition-only file (no `environments`) never touches live state: no change to gate
      if (!now?.managed && !before?.managed) continue;
      const defaultEnabled = now?.defaultEnabled ?? before?.defaultEnabled ?? false;
      const kind = classifyChange(b, a, defaultEnabled);
      if (kind === 'none') continue;
      const change: FlagChange = {
        flag: name,
        file: ref.file,
        env: env.name,
        before: b,
        after: a,
        defaultEnabled,
        kind,
        ...(ref.introducedByUrl ? { introducedByUrl: ref.introducedByUrl } : {}),
        desiredByEnv,
      };
      if (now?.locate) withLazyPosition(change, now.locate, a !== undefined ? ['environments', env.name] : ['environments']);
      out.push(change);
    }
  }
  return out;
}

/**
 * `line`/`column` computed on first read: locating a key re-parses the file with the `yaml` package, which only
 * the changes that end up in a finding need.
 */
function withLazyPosition(change: FlagChange, locate: Locate, path: string[]): void {
  let pos: { line?: number; column?: number } | undefined;
  const get = (): { line?: number; column?: number } => (pos ??= locate(path));
  Object.defineProperties(change, {
    line: { get: () => get().line, enumerable: true, configurable: true },
    column: { get: () => get().column, enumerable: true, configurable: true },
  });
}
