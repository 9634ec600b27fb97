/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is
 * how Aodh stores history details and prints queries in reasons: `", "` and
 * `": "` separators, non-ASCII escaped as \uXXXX, keys in their order or
 * sorted (`sort_keys=True`).
 */
import { isJsonObject, type Json } from '../../core/json.js';

const asciiOnly = (text: string) => text.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function pythonJson(value: Json, sortKeys = false): string {
  if (Array.isArray(value)) return `[${value.map((item) => pythonJson(item, sortKeys)).join(', ')}]`;
  if (isJsonObject(value)) {
    const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
    return `{${keys.map((key) => `${asciiOnly(JSON.stringify(key))}: ${pythonJson(value[key] ?? null, sortKeys)}`).join(', ')}}`;
  }
  return asciiOnly(JSON.stringify(value));
}
