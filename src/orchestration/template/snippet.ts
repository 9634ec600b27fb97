/** Recognising function calls in snippets: a map with exactly one key that names a function of the version. */
import { isJsonObject, type Json } from '../json.js';
import type { FunctionTable } from './functions/registry.js';
import type { TemplateFunction } from './functions/types.js';

export interface FunctionCall {
  name: string;
  args: Json;
  fn: TemplateFunction;
}

export function functionCall(snippet: Json, table: FunctionTable): FunctionCall | null {
  if (!isJsonObject(snippet)) return null;
  const keys = Object.keys(snippet);
  if (keys.length !== 1) return null;
  const name = keys[0] as string;
  const fn = table.get(name);
  return fn === undefined ? null : { name, args: snippet[name] ?? null, fn };
}

export function callDetector(table: FunctionTable): (value: Json) => boolean {
  return (value) => functionCall(value, table) !== null;
}
