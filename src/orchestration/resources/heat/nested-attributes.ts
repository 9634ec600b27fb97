/**
 * Attributes of a resource that owns a whole nested stack (OS::Heat::Stack,
 * template resources): its outputs, and `resource.<name>[.<attr>]` into the
 * nested stack's resources.
 */
import type { Json } from '../../json.js';
import type { ResourceContext } from '../types.js';
import { memberKey, selectPath } from './group-members.js';

/** Heat's ARN of a stack, what `get_resource` gives for a template resource whose template has no `OS::stack_id` output. */
export function stackArn(projectId: string, stackName: string, stackId: string): string {
  return `arn:openstack:heat::${encodeURIComponent(projectId)}:stacks/${encodeURIComponent(stackName)}/${encodeURIComponent(stackId)}`;
}

/** `resource.<name>[.<attr>]` of the nested stack's resources, else null (not such a key). */
export async function nestedResourceAttribute(ctx: ResourceContext, key: string, path: Json[]): Promise<Json | undefined> {
  const member = memberKey(key);
  if (member === null) return undefined;
  if (ctx.nested.stackId === null) return null;
  const attrPath = member.attribute === null ? path : [member.attribute, ...path];
  return ctx.nested.evaluate(attrPath.length === 0 ? { get_resource: member.member } : { get_attr: [member.member, ...attrPath] });
}

/** One output of the nested stack, then `path` into it; null before the nested stack exists. */
export async function nestedOutput(ctx: ResourceContext, key: string, path: Json[]): Promise<Json> {
  if (ctx.nested.stackId === null) return null;
  return selectPath((await ctx.nested.outputs())[key] ?? null, path);
}
