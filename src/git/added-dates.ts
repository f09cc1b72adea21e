/**
 * Pure: the output of `git log --diff-filter=A --no-renames --format=%x1e%cI --name-only -z` → for each path, the
 * committer date of the oldest commit that added it (a file deleted and added again counts from its first add:
 * the flag has existed, on and off, since then).
 */
export function parseAddedDates(stdout: string): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const record of stdout.split('\x1e')) {
    if (!record.trim()) continue;
    const [head, ...names] = record.split(/[\n\0]/);
    const at = new Date(head!.trim());
    if (Number.isNaN(at.getTime())) continue;
    for (const name of names) {
      if (!name) continue;
      const seen = out.get(name);
      // git log lists newest first: the last one seen is the oldest add
      if (!seen || at < seen) out.set(name, at);
    }
  }
  return out;
}
