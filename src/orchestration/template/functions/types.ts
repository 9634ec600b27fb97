/**
 * What every intrinsic function implementation sees. A function checks the
 * shape of its arguments as written (`check`, run by validateTemplate with
 * the snippet's path and again before evaluation), then either `apply`s to
 * its evaluated arguments (the pure functions, also usable in the
 * synchronous `conditions:` evaluation) or `evaluate`s them itself (`if`,
 * which evaluates one branch only, and `get_attr`, which awaits the engine).
 */
import type { Json } from '../../json.js';
import type { HotVersion, ResolveScope } from '../types.js';

/**
 * The result of `if` with a null branch from 2021-04-16 on: the value is
 * treated as never given (a map drops the key, a list the item).
 */
export const ABSENT: unique symbol = Symbol('absent');
export type Resolved = Json | typeof ABSENT;

/** The synchronous view of the stack the pure functions need. */
export interface ApplyEnv {
  readonly version: HotVersion;
  readonly parameters: Record<string, Json>;
  readonly files: Record<string, string>;
  getResource(name: string): string | null;
  resourceFacade?(section: 'metadata' | 'deletion_policy' | 'update_policy'): Json;
  /** A condition's value: a boolean as is, a name looked up in `conditions:`. */
  condition(nameOrValue: Json): boolean;
}

export interface EvalContext {
  readonly env: ApplyEnv;
  readonly scope: ResolveScope;
  /** Evaluates a nested snippet keeping ABSENT (for `if` results handed up unchanged). */
  resolve(snippet: Json): Promise<Resolved>;
  /** Evaluates an inline condition or a condition name. */
  condition(snippet: Json): boolean;
}

export interface TemplateFunction {
  check?(args: Json, name: string, isCall: (value: Json) => boolean): void;
  apply?(args: Json, env: ApplyEnv, name: string): Json;
  evaluate?(rawArgs: Json, ctx: EvalContext, name: string): Promise<Resolved>;
}

/**
 * A bad argument, in Heat's words. Python raises TypeError, ValueError or
 * KeyError there and Heat reports `str(error)`; a KeyError's text comes out
 * quoted, which `keyError` reproduces.
 */
export class FunctionArgumentError extends Error {}

export function keyError(message: string): FunctionArgumentError {
  return new FunctionArgumentError(`'${message.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`);
}

export function argumentError(message: string): FunctionArgumentError {
  return new FunctionArgumentError(message);
}
