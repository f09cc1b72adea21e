/** The commit an apply records as applied: HEAD, unless the working tree has uncommitted edits to flag files or flagops.yml. */
import type { InstanceTarget } from '../config/instances.js';
import type { Finding } from '../model/finding.js';
import type { HeadCommit } from './head-commit.js';

/** HEAD, unless the working tree has uncommitted edits to flag files or flagops.yml: then nothing is recorded (a warning says why). */
export async function committedHead(args: { head: HeadCommit; dirty: () => Promise<string[] | undefined>; env: InstanceTarget; findings: Finding[] }): Promise<string | undefined> {
  const sha = await args.head.get();
  const dirty = sha ? await args.dirty() : undefined;
  if (!sha || !dirty || dirty.length === 0) return sha;
  args.findings.push({
    code: 'apply/record',
    severity: 'warning',
    env: args.env.name,
    message: `${args.env.label}: not recorded as applied: the working tree has uncommitted edits (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}), so ${sha.slice(0, 8)} is not what was applied`,
    hint: 'commit the edits and apply again, or apply from a clean checkout (CI)',
  });
  return undefined;
}
