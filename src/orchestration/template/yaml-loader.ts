/**
 * Template and environment text as Heat reads it: JSON first, else YAML
 * with PyYAML's safe loader rules (YAML 1.1: `yes`/`no`/`on`/`off` are
 * booleans), except that timestamps stay strings, as Heat's loader keeps
 * `2016-10-14` a string.
 */
import { parse as parseYaml, YAMLParseError, type Tags } from 'yaml';
import type { Json } from '../json.js';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

function withoutTimestamps(tags: Tags): Tags {
  return tags.filter((tag) => (typeof tag === 'string' ? tag !== 'timestamp' : tag.tag !== TIMESTAMP_TAG));
}

/** Parses JSON or YAML text; throws `Error parsing template <where> <yaml error>` for text that is neither. */
export function loadJsonOrYaml(text: string, where = '[root stack]'): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    // not JSON: read it as YAML below
  }
  try {
    const loaded = parseYaml(text, { version: '1.1', customTags: withoutTimestamps, uniqueKeys: false, maxAliasCount: 1000 }) as Json | undefined;
    return loaded ?? null;
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message : String(error);
    throw new YamlError(`Error parsing template ${where} ${detail}`);
  }
}

export class YamlError extends Error {}
