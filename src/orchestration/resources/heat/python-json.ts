/**
 * JSON text as Python's `json.dumps` writes it with default arguments:
 * `", "` and `": "` separators and non-ASCII escaped. Heat serialises some
 * attributes (a wait condition's `data`, a handle's `signal`) that way and
 * clients compare the strings.
 */
import type { Json } from '../../json.js';

function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function pythonJsonDumps(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${escapeNonAscii(JSON.stringify(key))}: ${pythonJsonDumps(item)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'number' && Number.isInteger(value) === false) return String(value);
  return escapeNonAscii(JSON.stringify(value));
}
