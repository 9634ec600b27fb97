/**
 * `nimbus manage mapping-engine --rules FILE --input FILE [--prefix P]`, as
 * keystone-manage mapping_engine: checks a mapping file (`{"rules": [...]}`,
 * optionally `schema_version`) and prints, as JSON, what it makes of the
 * assertion in the input file (one `Name: value` per line; with a prefix,
 * only the attributes whose name starts with it).
 */
import { readFileSync } from 'node:fs';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { applyMapping } from './mapping-engine.js';
import { validateMapping } from './mapping-schema.js';

export function runMappingEngine(rulesFile: string, inputFile: string, prefix?: string): string {
  const mapping = JSON.parse(readFileSync(rulesFile, 'utf8')) as Json;
  if (!isJsonObject(mapping)) throw new Error(`${rulesFile}: expected a JSON object with "rules"`);
  // Checked against the schema first, so the rules are a list of rule objects.
  validateMapping(mapping);
  const assertion = parseAssertion(readFileSync(inputFile, 'utf8'), inputFile, prefix);
  return JSON.stringify(applyMapping(mapping.rules as JsonObject[], assertion), null, 2);
}

function parseAssertion(text: string, path: string, prefix: string | undefined): Record<string, string> {
  const assertion: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`assertion file ${path} at line ${index + 1} expected 'key: value' but found '${line}' see help for file format`);
    const key = line.slice(0, colon).trim();
    if (prefix === undefined || key.startsWith(prefix)) assertion[key] = line.slice(colon + 1).trim();
  });
  return assertion;
}
