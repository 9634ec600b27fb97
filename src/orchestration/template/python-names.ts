/**
 * Heat's messages name Python types (`Found a [<class 'list'>] instead`) and
 * render values with Python's repr; clients and tests match on that text, so
 * the template room renders JSON values the same way.
 */
import type { Json } from '../json.js';

export function pythonTypeName(value: Json | undefined): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

export function pythonClass(value: Json | undefined): string {
  return `<class '${pythonTypeName(value)}'>`;
}

/** Python's repr of a JSON value: 'text', [1, 'a'], {'k': True}, None. */
export function pythonRepr(value: Json | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

/** Python's str(): strings bare, everything else as repr. */
export function pythonStr(value: Json | undefined): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's json.dumps with its defaults (`", "` and `": "` separators, non-ASCII escaped), keys sorted on request. */
export function pythonJsonDumps(value: Json, sortKeys = false): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v, sortKeys)).join(', ')}]`;
  const entries = Object.entries(value);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v, sortKeys)}`).join(', ')}}`;
}
