/**
 * A seed file as read: its data and where each part of it stands in the
 * file, so that every error can name `file:line:column` (the `yaml`
 * package's LineCounter and node ranges).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** A place in the seed's data: map keys and sequence indexes from the top. */
export type SeedPath = ReadonlyArray<string | number>;

/** An error in a seed, its message already prefixed with the place it is about. */
export class SeedError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'SeedError';
  }
}

export class SeedSource {
  readonly data: unknown;
  /** How messages name the file: its base name, as a person reads it next to the seed. */
  readonly name: string;
  readonly #document: ReturnType<typeof parseDocument>;
  readonly #lines: LineCounter;

  private constructor(name: string, text: string) {
    this.name = name;
    this.#lines = new LineCounter();
    this.#document = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false });
    const [syntax] = this.#document.errors;
    if (syntax) throw new SeedError(this.#at(syntax.pos[0]), syntax.message.split('\n')[0] ?? 'not valid YAML');
    this.data = this.#document.toJS({ maxAliasCount: 100 }) ?? {};
  }

  static read(file: string): SeedSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SeedError(file, `cannot read the seed file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return new SeedSource(basename(file), text);
  }

  static parse(name: string, text: string): SeedSource {
    return new SeedSource(name, text);
  }

  /** `file:line:column` of the value at `path` (of its key with `key`); the nearest existing parent when the path goes further than the file. */
  where(path: SeedPath, options: { key?: boolean } = {}): string {
    let node: unknown = this.#document.contents;
    let keyNode: unknown = null;
    for (const step of path) {
      const next = child(node, step);
      if (next === undefined) break;
      [keyNode, node] = next;
    }
    const target = options.key && keyNode ? keyNode : node;
    const range = isNode(target) ? target.range : null;
    return this.#at(range ? range[0] : 0);
  }

  /** An error about the value at `path`. */
  error(path: SeedPath, message: string, options: { key?: boolean } = {}): SeedError {
    return new SeedError(this.where(path, options), message);
  }

  #at(offset: number): string {
    const { line, col } = this.#lines.linePos(offset);
    return `${this.name}:${line}:${col}`;
  }
}

/** The key node and value node one step down, or undefined when there is none. */
function child(node: unknown, step: string | number): [unknown, unknown] | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && (isScalar(item.key) ? item.key.value : item.key) === step);
    return pair ? [pair.key, pair.value ?? pair.key] : undefined;
  }
  if (isSeq(node) && typeof step === 'number') {
    const item = node.items[step];
    return item === undefined ? undefined : [null, item];
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}
