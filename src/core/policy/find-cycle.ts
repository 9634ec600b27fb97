/**
 * Finds a loop of `rule:` references. The enforcer refuses a set of rules
 * with one when it is defined, so that evaluation never has to guard against
 * endless recursion on the request path.
 */
import type { CompiledRule } from './rule-parser.js';

/** One cycle as `["a", "b", "a"]`, or undefined when there is none. */
export function findCycle(rules: ReadonlyMap<string, CompiledRule>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    const rule = rules.get(name);
    // An undefined name ends the walk: it fails closed at evaluation.
    if (done.has(name) || rule === undefined) return undefined;
    path.push(name);
    onPath.add(name);
    for (const reference of rule.references) {
      const cycle = visit(reference);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return undefined;
  };

  for (const name of rules.keys()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
