/**
 * OS::Heat::ResourceGroup: `count` copies of `resource_def` in a nested
 * stack, named "0", "1", ... with `%index%` (or `index_var`) replaced by
 * each member's name. Names removed through `removal_policies` are never
 * reused. Attributes mirror the members' (`[group, attr]` is the list of
 * each member's `attr`, `resource.<n>[.attr]` one member's).
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { applyInBatches, batchPolicy, type BatchPolicy } from './group-batches.js';
import { applyMembers, groupTemplate, memberAttrs, memberKey, memberNames, memberNotFound, memberRefs, selectPath, zipMap } from './group-members.js';

const properties: Record<string, PropertySchema> = {
  count: { type: 'integer', description: 'The number of resources to create.', default: 1, constraints: [{ range: { min: 0 } }], updateAllowed: true },
  index_var: {
    type: 'string',
    description:
      'A variable that this resource will use to replace with the current index of a given resource in the group. Can be used, for example, to customize the name property of grouped servers in order to differentiate them when listed with nova client.',
    default: '%index%',
    constraints: [{ length: { min: 3 } }],
    supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  },
  resource_def: {
    type: 'map',
    description:
      'Resource definition for the resources in the group. The value of this property is the definition of a resource just as if it had been declared in the template itself.',
    schema: {
      type: { type: 'string', description: 'The type of the resources in the group.', required: true },
      properties: { type: 'map', description: 'Property values for the resources in the group.' },
      metadata: { type: 'map', description: 'Supplied metadata for the resources in the group.', supportStatus: { status: 'SUPPORTED', version: '5.0.0' } },
    },
    required: true,
    updateAllowed: true,
  },
  removal_policies: {
    type: 'list',
    description: 'Policies for removal of resources on update.',
    schema: {
      '*': {
        type: 'map',
        description: 'Policy to be processed when doing an update which requires removal of specific resources.',
        schema: {
          resource_list: {
            type: 'list',
            description:
              "List of resources to be removed when doing an update which requires removal of specific resources. The resource may be specified several ways: (1) The resource name, as in the nested stack, (2) The resource reference returned from get_resource in a template, as available via the 'refs' attribute. Note this is destructive on update when specified; even if the count is not being reduced, and once a resource name is removed, its name is never reused in subsequent updates.",
            default: [],
          },
        },
      },
    },
    updateAllowed: true,
    default: [],
    supportStatus: { status: 'SUPPORTED', version: '2015.1' },
  },
  removal_policies_mode: {
    type: 'string',
    description: 'How to handle changes to removal_policies on update. The default "append" mode appends to the internal list, "update" replaces it on update.',
    default: 'append',
    constraints: [{ allowed_values: ['append', 'update'] }],
    updateAllowed: true,
    supportStatus: { status: 'SUPPORTED', version: '10.0.0' },
  },
};

function skiplist(ctx: ResourceContext): string[] {
  const stored = ctx.resource.data.name_blacklist;
  return stored === undefined || stored === '' ? [] : stored.split(',');
}

/** Names the removal policies ask to remove: member names as given, references through the members' refs. */
async function removedNames(ctx: ResourceContext, props: JsonObject, current: Set<string>): Promise<string[]> {
  const names = memberNames(ctx);
  const hasStack = ctx.resource.physicalId !== null;
  const refs = hasStack ? zipMap(names, await memberRefs(ctx, names)) : {};
  const removed: string[] = [];
  for (const policy of Array.isArray(props.removal_policies) ? props.removal_policies.filter(isJsonObject) : []) {
    for (const entry of Array.isArray(policy.resource_list) ? policy.resource_list : []) {
      const text = typeof entry === 'string' ? entry : JSON.stringify(entry);
      if (current.has(text) || !hasStack || names.includes(text)) removed.push(text);
      else if (typeof entry === 'string') removed.push(...Object.keys(refs).filter((name) => refs[name] === entry));
    }
  }
  return removed;
}

async function updateSkiplist(ctx: ResourceContext, props: JsonObject): Promise<Set<string>> {
  const current = new Set(skiplist(ctx));
  const updated = new Set(props.removal_policies_mode === 'update' ? [] : current);
  for (const name of await removedNames(ctx, props, current)) updated.add(name);
  await ctx.setData('name_blacklist', [...updated].sort().join(','));
  return updated;
}

/** The first `count` names of "0", "1", ... that were never removed. */
function candidateNames(count: number, skipped: Set<string>): string[] {
  const names: string[] = [];
  for (let index = 0; names.length < count; index += 1) if (!skipped.has(String(index))) names.push(String(index));
  return names;
}

function replaceIndex(value: Json, indexVar: string, name: string): Json {
  if (typeof value === 'string') return value.split(indexVar).join(name);
  if (Array.isArray(value)) return value.map((item) => replaceIndex(item, indexVar, name));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIndex(item, indexVar, name)]));
  return value;
}

/** One member's definition: the group's `resource_def`, null properties dropped, the index variable replaced. */
export function memberDefinition(resourceDef: Json | undefined, indexVar: string, name: string): JsonObject {
  const def = isJsonObject(resourceDef ?? null) ? (resourceDef as JsonObject) : {};
  const member: JsonObject = { type: def.type ?? null };
  if (isJsonObject(def.properties ?? null)) {
    const props = Object.entries(def.properties as JsonObject).filter(([, value]) => value !== null);
    member.properties = replaceIndex(Object.fromEntries(props), indexVar, name);
  }
  if (isJsonObject(def.metadata ?? null)) member.metadata = def.metadata as JsonObject;
  return member;
}

function definitions(props: JsonObject, skipped: Set<string>): Array<[string, JsonObject]> {
  const indexVar = String(props.index_var ?? '%index%');
  return candidateNames(Number(props.count ?? 1), skipped).map((name) => [name, memberDefinition(props.resource_def, indexVar, name)]);
}

/** All members at once; what the members got is then the group's definition, so no batch record is kept. */
async function build(ctx: ResourceContext, props: JsonObject): Promise<void> {
  await applyMembers(ctx, definitions(props, await updateSkiplist(ctx, props)));
  if (ctx.resource.data.member_definitions !== undefined) await ctx.deleteData('member_definitions');
}

/** Through `update_policy` when it asks for batches (batch_create on create, rolling_update on a changed resource_def), else all at once. */
async function buildInBatches(ctx: ResourceContext, props: JsonObject, policy: BatchPolicy | null, previous: JsonObject): Promise<void> {
  const count = Number(props.count ?? 1);
  if (policy === null || count === 0) return build(ctx, props);
  const skipped = await updateSkiplist(ctx, props);
  const define = (resourceDef: Json | undefined, indexVar: Json | undefined) => (name: string) =>
    memberDefinition(resourceDef, String(indexVar ?? '%index%'), name);
  const names = (capacity: number) => candidateNames(capacity, skipped);
  await applyInBatches(ctx, policy, count, names, define(props.resource_def, props.index_var), define(previous.resource_def, previous.index_var), skipped);
}

async function groupAttribute(ctx: ResourceContext, key: string, path: Json[]): Promise<Json> {
  const names = memberNames(ctx);
  if (key === 'removed_rsrc_list') return selectPath(skiplist(ctx), path);
  if (key === 'attributes' && path.length === 0) throw heatResourceErrors.invalidAttribute(ctx.resource.name, key);
  const member = memberKey(key);
  if (member !== null) {
    if (!names.includes(member.member)) throw memberNotFound(member.member, ctx.resource.name);
    if (member.attribute === null && path.length === 0) return (await memberRefs(ctx, [member.member]))[0] ?? null;
    const attrPath = member.attribute === null ? path : [member.attribute, ...path];
    return (await memberAttrs(ctx, [member.member], attrPath))[0] ?? null;
  }
  if (key === 'refs') return selectPath(await memberRefs(ctx, names), path);
  if (key === 'refs_map') return zipMap(names, await memberRefs(ctx, names));
  if (key === 'attributes') return zipMap(names, await memberAttrs(ctx, names, path));
  return memberAttrs(ctx, names, [key, ...path]);
}

export const resourceGroup: ResourcePlugin = {
  type: 'OS::Heat::ResourceGroup',
  description: 'Creates one or more identically configured nested resources.',
  properties,
  attributes: {
    refs: { description: 'A list of resource IDs for the resources in the group.', type: 'list' },
    refs_map: { description: 'A map of resource names to IDs for the resources in the group.', type: 'map' },
    attributes: {
      description: 'A map of resource names to the specified attribute of each individual resource. Requires heat_template_version: 2014-10-16.',
      type: 'map',
    },
    removed_rsrc_list: { description: 'A list of removed resource names.', type: 'list' },
  },
  dynamicAttributes: true,
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },

  nestedTemplate: (props) => ({ template: groupTemplate(definitions(props, new Set())), parameters: {} }),
  create: (ctx, props) => {
    const policy = batchPolicy(ctx, 'batch_create');
    return buildInBatches(ctx, props, policy && { ...policy, minInService: 0 }, props);
  },
  update: (ctx, change) =>
    buildInBatches(ctx, change.properties, change.changed.includes('resource_def') ? batchPolicy(ctx, 'rolling_update') : null, change.previous),
  delete: (ctx) => ctx.nested.delete(),
  suspend: (ctx) => ctx.nested.suspend(),
  resume: (ctx) => ctx.nested.resume(),
  resolveAttribute: (ctx, name) => groupAttribute(ctx, name, []),
  resolveAttributePath: groupAttribute,
};
