/**
 * Runs a step per node of a dependency graph, each as soon as the nodes it
 * depends on are done, independent ones in parallel. After the first failure
 * no new step starts; the running ones finish, then the first error is thrown.
 * Edges to nodes outside the graph are ignored.
 */
export async function walkGraph(nodes: string[], dependsOn: (node: string) => string[], step: (node: string) => Promise<void>): Promise<void> {
  const inGraph = new Set(nodes);
  const pending = new Set(nodes);
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: { error: unknown } | null = null;

  for (;;) {
    if (failure === null) {
      for (const node of [...pending]) {
        if (!dependsOn(node).every((d) => done.has(d) || !inGraph.has(d))) continue;
        pending.delete(node);
        const run = step(node).then(
          () => void done.add(node),
          (error: unknown) => void (failure ??= { error }),
        );
        running.set(
          node,
          run.finally(() => running.delete(node)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  if (pending.size > 0) throw new Error(`dependency loop among ${[...pending].join(', ')}`);
}

/** The reverse walk's edges (delete, suspend): a node waits for the nodes that depend on it. */
export function reverseEdges(nodes: string[], dependsOn: (node: string) => string[]): (node: string) => string[] {
  const dependents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const node of nodes) for (const dep of dependsOn(node)) dependents.get(dep)?.push(node);
  return (node) => dependents.get(node) ?? [];
}
