/**
 * What the group types (ResourceGroup, SoftwareDeploymentGroup,
 * AutoScalingGroup) share: the member names kept in resource data, the
 * nested stack of members (Heat's generated template, with its
 * `refs_map` output), and reading member references and attributes
 * through the nested stack.
 */
import { NotFound } from '../../../core/errors.js';
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { ResourceContext } from '../types.js';

/** The HOT version Heat writes group templates in. */
const GROUP_TEMPLATE_VERSION = '2015-04-30';

/** The group's current members, in group order (stored at each create/update). */
export function memberNames(ctx: ResourceContext): string[] {
  const stored = ctx.resource.data.members;
  return stored === undefined ? [] : (JSON.parse(stored) as string[]);
}

export function groupTemplate(definitions: Array<[string, JsonObject]>): JsonObject {
  const refsMap: JsonObject = Object.fromEntries(definitions.map(([name]) => [name, { get_resource: name }]));
  return { heat_template_version: GROUP_TEMPLATE_VERSION, resources: Object.fromEntries(definitions), outputs: { refs_map: { value: refsMap } } };
}

/**
 * Creates or updates the members' nested stack. The physical id (and so
 * `get_resource` on the group) is the nested stack's id, recorded even when
 * the nested stack fails so that delete finds it.
 */
export async function applyMembers(ctx: ResourceContext, definitions: Array<[string, JsonObject]>): Promise<void> {
  await ctx.setData('members', JSON.stringify(definitions.map(([name]) => name)));
  try {
    const { stackId } = await ctx.nested.apply({
      template: groupTemplate(definitions),
      parameters: {},
      files: ctx.stack.files,
      timeoutMins: ctx.stack.timeoutMins,
    });
    if (ctx.resource.physicalId === null) await ctx.setPhysicalId(stackId);
  } catch (error) {
    if (ctx.resource.physicalId === null && ctx.nested.stackId !== null) await ctx.setPhysicalId(ctx.nested.stackId);
    throw error;
  }
}

/** Evaluates one snippet per member inside the nested stack; nulls before it exists. */
async function perMember(ctx: ResourceContext, names: string[], snippet: (name: string) => Json): Promise<Json[]> {
  if (ctx.nested.stackId === null || names.length === 0) return names.map(() => null);
  const values = await ctx.nested.evaluate(names.map(snippet));
  return Array.isArray(values) ? values : names.map(() => null);
}

export const memberRefs = (ctx: ResourceContext, names: string[]) => perMember(ctx, names, (name) => ({ get_resource: name }));

export const memberAttrs = (ctx: ResourceContext, names: string[], path: Json[]) => perMember(ctx, names, (name) => ({ get_attr: [name, ...path] }));

export function zipMap(names: string[], values: Json[]): JsonObject {
  return Object.fromEntries(names.map((name, index) => [name, values[index] ?? null]));
}

/** Follows `path` (list indexes, map keys) into an attribute value, null where it leads nowhere. */
export function selectPath(value: Json, path: Json[]): Json {
  let current: Json = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step] ?? null;
    else if (isJsonObject(current) && (typeof step === 'string' || typeof step === 'number')) current = current[String(step)] ?? null;
    else return null;
  }
  return current;
}

export const memberNotFound = (member: string, group: string) => new NotFound(`Member '${member}' not found in group resource '${group}'.`);

/** `resource.<member>[.<attribute>]` split as Heat splits it (at most three parts; the attribute may hold dots). */
export function memberKey(key: string): { member: string; attribute: string | null } | null {
  if (!key.startsWith('resource.')) return null;
  const rest = key.slice('resource.'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { member: rest, attribute: null } : { member: rest.slice(0, dot), attribute: rest.slice(dot + 1) };
}
