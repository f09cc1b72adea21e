/**
 * Issue references in Markdown text, the subset of GitLab's reference and closing-pattern rules the simulator
 * needs: `#12`, `group/project#12`, and issue URLs (any host); closing keywords (`Closes`, `Fixes`, `Resolves`,
 * `Implements` and their forms) before a list of references.
 */

export interface IssueRef {
  /** Full project path; undefined means the text's own project. */
  project: string | undefined;
  iid: number;
}

const URL_REF = String.raw`https?://[^\s/]+/((?:[A-Za-z0-9_.-]+/)+?[A-Za-z0-9_.-]+)/(?:-/)?(?:issues|work_items)/(\d+)`;
const CROSS_REF = String.raw`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)#(\d+)`;
const LOCAL_REF = String.raw`#(\d+)`;
const ANY_REF = String.raw`(?:https?://\S+?/(?:-/)?(?:issues|work_items)/\d+|(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)?#\d+)`;
const CLOSING = new RegExp(
  String.raw`\b(?:[Cc]los(?:e[sd]?|ing)|[Ff]ix(?:e[sd]|ing)?|[Rr]esolv(?:e[sd]?|ing)|[Ii]mplement(?:s|ed|ing)?):? +((?:(?:issues? +)?${ANY_REF}(?:, *| +and +| +)?)+)`,
  'g',
);

/** Every issue reference in `text`, in order of appearance, without duplicates. */
export function issueReferences(text: string): IssueRef[] {
  const found: { at: number; ref: IssueRef }[] = [];
  let rest = text;
  const blank = (m: RegExpExecArray) => {
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  };
  for (const m of [...rest.matchAll(new RegExp(URL_REF, 'g'))]) {
    found.push({ at: m.index ?? 0, ref: { project: m[1], iid: Number(m[2]) } });
    blank(m as RegExpExecArray);
  }
  for (const m of [...rest.matchAll(new RegExp(String.raw`(?<![\w/&])${CROSS_REF}\b`, 'g'))]) {
    found.push({ at: m.index ?? 0, ref: { project: m[1], iid: Number(m[2]) } });
    blank(m as RegExpExecArray);
  }
  for (const m of rest.matchAll(new RegExp(String.raw`(?<![\w/&#])${LOCAL_REF}\b`, 'g'))) {
    found.push({ at: m.index ?? 0, ref: { project: undefined, iid: Number(m[1]) } });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: IssueRef[] = [];
  for (const { ref } of found) {
    const key = `${ref.project ?? ''}#${ref.iid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

/** References that follow a closing keyword. */
export function closingReferences(text: string): IssueRef[] {
  const out: IssueRef[] = [];
  for (const m of text.matchAll(CLOSING)) out.push(...issueReferences(m[1] ?? ''));
  return out;
}
