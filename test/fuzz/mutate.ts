/**
 * Hostile changes to a valid body. `everyConfusion` lists, for every node of
 * the body, the body with that node removed or replaced by each value of the
 * wrong kind: run in full, it leaves no field untried. `mutations` is the
 * random form for property-based runs: one such change, or a hostile value
 * of any shape, anywhere.
 */
import fc from 'fast-check';
import { FIELD_NAMES, hostileValue } from './hostile.js';

import type { Json } from './examples.js';
type Path = Array<string | number>;

/** Each value a field of some other kind must not crash on. */
function confusions(node: Json): Json[] {
  return [null, true, 0, -1, 0.5, 2 ** 53 + 1, 1e308, '', '\u0000', 'x'.repeat(300), {}, [], [node], { a: node }];
}

function paths(value: Json, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...paths(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  return found;
}

const REMOVE = Symbol('remove');

/** A copy of `value` with the node at `path` replaced by `change(node)`, or removed. */
function edit(value: Json, path: Path, change: (node: Json) => Json | typeof REMOVE): Json {
  if (path.length === 0) {
    const changed = change(value);
    return changed === REMOVE ? null : changed;
  }
  const [head, ...rest] = path as [string | number, ...Path];
  const step = (node: Json) => (rest.length === 0 ? change(node) : edit(node, rest, change));
  if (Array.isArray(value)) {
    const copy = [...value];
    const changed = step(copy[head as number] ?? null);
    if (changed === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = changed;
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  const changed = step(copy[head] ?? null);
  if (changed === REMOVE) delete copy[head];
  else copy[head] = changed;
  return copy;
}

export function everyConfusion(example: Json): Json[] {
  return paths(example).flatMap((path) => [
    ...(path.length > 0 ? [edit(example, path, () => REMOVE)] : []),
    ...confusions(null).map((_, i) => edit(example, path, (node) => confusions(node)[i] ?? null)),
  ]);
}

export function mutations(example: Json): fc.Arbitrary<Json> {
  const kind = fc.constantFrom('confuse', 'hostile', 'remove', 'sibling');
  return fc
    .tuple(fc.constantFrom(...paths(example)), kind, hostileValue, fc.constantFrom(...FIELD_NAMES), fc.nat(13))
    .map(([path, how, hostile, field, pick]) => {
      switch (how) {
        case 'remove':
          return edit(example, path, () => REMOVE);
        case 'sibling':
          return edit(example, path, (node) => (node !== null && typeof node === 'object' && !Array.isArray(node) ? { ...node, [field]: hostile } : hostile));
        case 'hostile':
          return edit(example, path, () => hostile);
        default:
          return edit(example, path, (node) => confusions(node)[pick] ?? null);
      }
    });
}
