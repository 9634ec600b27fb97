/**
 * Walks a snippet's function calls with their paths, for the static checks
 * and for dependency discovery. Paths follow Heat's rendering: keys joined
 * by dots, list items as `[i]`, the function name as a path element.
 */
import type { Json } from '../json.js';
import type { TemplatePathItem } from '../errors/template.js';
import type { FunctionTable } from './functions/registry.js';
import { functionCall, type FunctionCall } from './snippet.js';

export type CallVisitor = (call: FunctionCall, path: TemplatePathItem[]) => 'descend' | 'skip' | Json[];

/**
 * Calls `visit` for every function call, outermost first. The visitor
 * answers 'descend' to walk into the arguments, 'skip' to stop there, or a
 * list of the argument snippets to walk instead (how `if` walks one branch).
 */
export function walkCalls(snippet: Json, table: FunctionTable, path: TemplatePathItem[], visit: CallVisitor): void {
  const call = functionCall(snippet, table);
  if (call !== null) {
    const fnPath = [...path, call.name];
    const next = visit(call, fnPath);
    if (next === 'skip') return;
    if (next === 'descend') walkCalls(call.args, table, fnPath, visit);
    else for (const part of next) walkCalls(part, table, fnPath, visit);
    return;
  }
  if (Array.isArray(snippet)) snippet.forEach((item, i) => walkCalls(item, table, [...path, i], visit));
  else if (snippet !== null && typeof snippet === 'object') for (const [key, value] of Object.entries(snippet)) walkCalls(value, table, [...path, key], visit);
}

/**
 * The resource a get_resource, get_attr or (HOT 2013-05-23) Ref call names,
 * when it is written out rather than computed; a Ref counts only when it
 * names a resource, since it may name a parameter.
 */
export function referencedResource(call: FunctionCall, isResource: (name: string) => boolean): string | null {
  if (call.name === 'get_resource') return typeof call.args === 'string' ? call.args : null;
  if (call.name === 'Ref') return typeof call.args === 'string' && isResource(call.args) ? call.args : null;
  if (call.name === 'get_attr' && Array.isArray(call.args)) {
    const target = call.args[0];
    return typeof target === 'string' ? target : null;
  }
  return null;
}
