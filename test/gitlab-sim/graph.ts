/**
 * The commit graph: ancestors and merge bases (what `git merge-base` answers for two commits; for more, the
 * best common ancestor of all of them).
 */

export type CommitGraph = Record<string, string[]>;

/** The commit and every commit reachable through parents, in breadth-first order. */
export function ancestors(graph: CommitGraph, sha: string): string[] {
  const seen = new Set<string>([sha]);
  const order = [sha];
  for (let i = 0; i < order.length; i += 1) {
    for (const parent of graph[order[i] ?? ''] ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        order.push(parent);
      }
    }
  }
  return order;
}

export function isAncestor(graph: CommitGraph, ancestor: string, descendant: string): boolean {
  return ancestors(graph, descendant).includes(ancestor);
}

/** The best common ancestor of every sha, or null when they share no history. */
export function mergeBase(graph: CommitGraph, shas: string[]): string | null {
  const [first, ...rest] = shas;
  if (first === undefined) return null;
  const others = rest.map((sha) => new Set(ancestors(graph, sha)));
  const common = ancestors(graph, first).filter((c) => others.every((set) => set.has(c)));
  const best = common.filter((c) => !common.some((d) => d !== c && isAncestor(graph, c, d)));
  return best[0] ?? null;
}
