/**
 * The revert merge request of a failed verification, as data (src/verify opens it; the drift hold reads it): its
 * branch and the hidden marker naming the change — environment, applied commit — and the flags it reverts. Pure.
 */

/** The revert branch of a change. */
export function revertBranch(env: string, commit: string): string {
  return `flagops/revert-${env}-${commit.slice(0, 12)}`;
}

/** The hidden marker naming the change and the flags it reverts. */
export function revertMarker(env: string, commit: string, flags: readonly string[]): string {
  return `<!-- flagops:verify-revert env=${env} commit=${commit} flags=${flags.join(',')} -->`;
}

const MARKER = /<!-- flagops:verify-revert env=([a-z0-9_-]+) commit=([0-9a-f]{7,64}) flags=([a-z0-9_,]*) -->/;

export function parseRevertMarker(text: string): { env: string; commit: string; flags: string[] } | undefined {
  const m = MARKER.exec(text);
  return m ? { env: m[1]!, commit: m[2]!, flags: m[3]!.split(',').filter(Boolean) } : undefined;
}
