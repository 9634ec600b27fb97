/**
 * Reads an operator's policy file in oslo.policy's format: one mapping of
 * rule name to rule text, in YAML or JSON (JSON is read as YAML, as oslo
 * does). Only reading and shape-checking happen here; rules are compiled by
 * the enforcer, which knows the rule names to put in its errors.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { PolicyFileError } from './policy-errors.js';

/**
 * The rules in `file`, or an empty map when it does not exist: running with
 * the defaults only is the normal case. Throws `PolicyFileError` when the
 * file cannot be read, is not valid YAML/JSON, is not a mapping, or maps a
 * name to something other than a string.
 */
export async function readPolicyFile(file: string): Promise<Map<string, string>> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return new Map();
    throw new PolicyFileError(file, `cannot be read (${String(error)})`, { cause: error });
  }
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    throw new PolicyFileError(file, `is not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (document === null || document === undefined) return new Map();
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new PolicyFileError(file, 'must be a mapping of rule names to rule strings');
  }
  const rules = new Map<string, string>();
  for (const [name, rule] of Object.entries(document)) {
    if (typeof rule !== 'string') {
      throw new PolicyFileError(file, `rule "${name}" must be a string, not ${JSON.stringify(rule)} (quote it in YAML)`);
    }
    rules.set(name, rule);
  }
  return rules;
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
