/**
 * Template and environment text as Heat reads it: JSON first, else YAML
 * with PyYAML's safe loader rules (YAML 1.1: `yes`/`no`/`on`/`off` are
 * booleans), except that timestamps stay strings, as Heat's loader keeps
 * `2016-10-14` a string.
 */
import { parseDocument, YAMLError, type Tags } from 'yaml';
import type { Json } from '../json.js';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BOOL_TAG = 'tag:yaml.org,2002:bool';

/** PyYAML's booleans are the words below; YAML 1.1's `y` and `n` stay strings there (a parameter named `n` is common). */
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

function pyYamlTags(tags: Tags): Tags {
  return tags
    .filter((tag) => (typeof tag === 'string' ? tag !== 'timestamp' : tag.tag !== TIMESTAMP_TAG))
    .map((tag) => {
      if (typeof tag === 'string' || tag.tag !== BOOL_TAG || !('test' in tag) || tag.test === undefined) return tag;
      return { ...tag, test: tag.test.test('true') ? PYYAML_TRUE : PYYAML_FALSE };
    });
}

export class YamlError extends Error {}

const MAX_INDENT_REPAIRS = 100;

/**
 * PyYAML accepts a flow collection whose closing `}` or `]` sits at the
 * indentation of the key that opened it (heat-templates has such files);
 * the `yaml` package does not. Inside a flow collection whitespace means
 * nothing, so indenting that closing line by one space changes no value.
 */
function closingLineToIndent(source: string, error: YAMLError): number | null {
  if (error.code !== 'BAD_INDENT' || error.linePos === undefined) return null;
  const index = error.linePos[0].line - 1;
  const line = source.split('\n')[index];
  return line !== undefined && /^\s*[}\]]/.test(line) ? index : null;
}

function parseYaml(text: string): Json {
  let source = text;
  for (let repairs = 0; ; repairs += 1) {
    const doc = parseDocument(source, { version: '1.1', customTags: pyYamlTags, uniqueKeys: false });
    const [error] = doc.errors;
    if (error === undefined) return (doc.toJS({ maxAliasCount: 1000 }) as Json | undefined) ?? null;
    const index = repairs < MAX_INDENT_REPAIRS ? closingLineToIndent(source, error) : null;
    if (index === null) throw error;
    const lines = source.split('\n');
    lines[index] = ` ${lines[index] ?? ''}`;
    source = lines.join('\n');
  }
}

/** Parses JSON or YAML text; throws `Error parsing template <where> <yaml error>` for text that is neither. */
export function loadJsonOrYaml(text: string, where = '[root stack]'): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    // not JSON: read it as YAML below
  }
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLError) throw new YamlError(`Error parsing template ${where} ${error.message}`);
    throw error;
  }
}
