/**
 * What GitLab's `Feature.enabled?` answers for given actors, computed by Flipper (Debian's ruby-flipper, the
 * library GitLab's Feature is built on) from the gates `GET /features` returns. Needs `ruby` with flipper.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { FeatureEntity } from '../gitlab-sim/index.js';

const SCRIPT = join(import.meta.dirname, 'flipper-eval.rb');

export interface FlipperInput {
  feature: FeatureEntity;
  /** Flipper ids: `Project:42`, `User:7`, `Group:9`, `Namespaces::UserNamespace:5`, `Repository:@hashed/….git`. */
  actors: readonly string[];
  /** Feature group name → the Flipper ids of its members. */
  groups?: Record<string, readonly string[]>;
}

export function flipperEnabled(input: FlipperInput): boolean[] {
  const out = execFileSync('ruby', [SCRIPT], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out) as boolean[];
}

/** Share (0–100) of actors the feature is on for. */
export function flipperShare(input: FlipperInput): number {
  const on = flipperEnabled(input);
  return (100 * on.filter(Boolean).length) / on.length;
}
