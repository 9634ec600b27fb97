/**
 * Keystone's attribute mapping engine (keystone/federation/utils.py's
 * RuleProcessor): a mapping's rules turn an identity provider's assertion
 * attributes into a user, groups and projects. Each rule's `remote` list must
 * all match (a plain `{type}` captures the values for `{0}`, `{1}` ... in
 * `local`; `any_one_of`/`not_any_of` only test; `whitelist`/`blacklist`
 * filter what is captured; `regex` makes the lists regular expressions), and
 * every matching rule's `local` entries are gathered into the result.
 *
 * Values are Python's: an assertion value holds several values separated by
 * `;`, a captured list prints as Python prints a list (`['a', 'b']`) and
 * `groups`/`group_ids` read such a list back, so mappings written for
 * Keystone give Keystone's answers here (`nimbus manage mapping-engine`).
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';

export interface MappedProperties {
  user: JsonObject;
  group_ids: string[];
  group_names: JsonObject[];
  projects: Json[];
}

type Captured = string[];

/** Keystone's ValidationError for a mapping that gives no identity, or an invalid local rule. */
function invalid(message: string): BadRequest {
  return new BadRequest(message);
}

export function applyMapping(rules: JsonObject[], assertionData: Record<string, string>): MappedProperties {
  const assertion = new Map(Object.entries(assertionData).map(([name, value]) => [name, value.split(';')]));
  const identityValues: JsonObject[] = [];
  for (const rule of rules) {
    const captured = matchRemote(rule.remote as JsonObject[], assertion);
    if (captured === null) continue;
    for (const local of rule.local as JsonObject[]) identityValues.push(captured.length === 0 ? local : (substitute(local, captured) as JsonObject));
  }
  return transform(identityValues);
}

/** The values captured by the rule's requirements, in order; null when one is not met. */
function matchRemote(requirements: JsonObject[], assertion: Map<string, string[]>): Captured[] | null {
  const captured: Captured[] = [];
  for (const requirement of requirements) {
    let values = assertion.get(String(requirement.type));
    if (!values || values.length === 0) return null;
    const regex = requirement.regex === true;
    const matches = (wanted: Json | undefined) => matching((wanted ?? []) as string[], values as string[], regex);
    if (requirement.any_one_of !== undefined) {
      if (matches(requirement.any_one_of).length > 0) continue;
      return null;
    }
    if (requirement.not_any_of !== undefined) {
      if (matches(requirement.not_any_of).length === 0) continue;
      return null;
    }
    if (requirement.blacklist !== undefined) {
      const excluded = new Set(matches(requirement.blacklist));
      values = [...new Set(values)].filter((v) => !excluded.has(v));
    } else if (requirement.whitelist !== undefined) {
      values = matches(requirement.whitelist);
    }
    captured.push(values);
  }
  return captured;
}

/** The assertion values the rule's list selects: equal strings, or any regular expression found in them. */
function matching(wanted: string[], values: string[], regex: boolean): string[] {
  if (regex) return values.filter((value) => wanted.some((pattern) => new RegExp(pattern).test(value)));
  const set = new Set(wanted);
  return [...new Set(values)].filter((value) => set.has(value));
}

/** `{0}`, `{1}` ... replaced by the captures as Python's str.format prints them. */
function substitute(value: Json, captured: Captured[]): Json {
  if (Array.isArray(value)) return value.map((item) => substitute(item, captured));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, captured)]));
  if (typeof value !== 'string') return value;
  return value.replace(/\{\{|\}\}|\{(\d+)\}/g, (token, index: string | undefined) => {
    if (index === undefined) return token[0] as string;
    const found = captured[Number(index)];
    if (found === undefined) throw invalid("Local section in mapping refers to a remote match that doesn't exist (e.g. {0} in a local section).");
    return found.length === 1 ? (found[0] as string) : pythonList(found);
  });
}

function pythonList(values: string[]): string {
  return `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** ast.literal_eval of a list of strings, as Keystone reads `groups`; anything else is the one value. */
function literalList(value: string): string[] {
  const text = value.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return [value];
  const items: string[] = [];
  const item = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/y;
  const body = text.slice(1, -1);
  item.lastIndex = 0;
  while (item.lastIndex < body.length) {
    const match = item.exec(body);
    if (!match) return [value];
    items.push((match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1'));
    if (match[3] === '') break;
  }
  return items;
}

function transform(identityValues: JsonObject[]): MappedProperties {
  if (identityValues.length === 0) {
    throw invalid('Could not map any federated user properties to identity values. Check debug logs or the mapping used for additional details.');
  }
  let user: JsonObject = {};
  const groupIds = new Set<string>();
  const groupNames: JsonObject[] = [];
  const byDomain = new Map<string, Map<string, JsonObject>>();
  let projects: Json[] = [];
  for (const value of identityValues) {
    if (isJsonObject(value.user) && Object.keys(user).length === 0) user = { ...value.user };
    if (isJsonObject(value.group)) {
      const group = value.group;
      if (typeof group.id === 'string') groupIds.add(group.id);
      else if (typeof group.name === 'string' && isJsonObject(group.domain)) {
        // Keystone lists the named groups of each domain once, in first-seen order.
        const domain = String(group.domain.name ?? group.domain.id);
        const groups = byDomain.get(domain) ?? new Map<string, JsonObject>();
        groups.set(group.name, group);
        byDomain.set(domain, groups);
        groupNames.push(...[...byDomain.values()].flatMap((g) => [...g.values()]));
      }
    }
    if (typeof value.groups === 'string') groupNames.push(...namedGroups(value));
    if (typeof value.group_ids === 'string') for (const id of literalList(value.group_ids)) groupIds.add(id);
    if (Array.isArray(value.projects)) projects = value.projects;
  }
  if (user.type === undefined) user.type = 'ephemeral';
  if (user.type !== 'ephemeral' && user.type !== 'local') throw invalid(`User type ${String(user.type)} not supported`);
  return { user, group_ids: [...groupIds], group_names: groupNames, projects };
}

/** `groups` with its `domain`, or groups given as `JSON:{...}` objects that carry their own. */
function namedGroups(value: JsonObject): JsonObject[] {
  const names = literalList(value.groups as string);
  const missingDomain = () => invalid(`Invalid rule: ${JSON.stringify(value)}. Both 'groups' and 'domain' keywords must be specified.`);
  if ((value.groups as string).includes('name')) {
    return names.map((name) => {
      const group = name.startsWith('JSON:') ? (JSON.parse(name.slice(5)) as Json) : name;
      if (!isJsonObject(group) || !('domain' in group)) throw missingDomain();
      return group;
    });
  }
  if (!isJsonObject(value.domain)) throw missingDomain();
  return names.map((name) => ({ name, domain: value.domain as JsonObject }));
}
