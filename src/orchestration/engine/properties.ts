/** A resource's resolved properties checked against its type: the schema's coercion, defaults and errors, then the type's own checks. */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { ResourcePlugin, StackInfo } from '../resources/types.js';
import { customChecker, type EngineDeps } from './deps.js';

export async function checkedProperties(
  deps: EngineDeps,
  caller: CallerContext,
  plugin: ResourcePlugin,
  resourceName: string,
  resolved: Json,
  stack: StackInfo,
): Promise<JsonObject> {
  // A type that takes anything (OS::Heat::None standing in for another) gets the values as written.
  const values = plugin.acceptsAnyProperties
    ? isJsonObject(resolved)
      ? resolved
      : {}
    : await deps.template.validateProperties(plugin.properties, resolved, `resources.${resourceName}.properties`, { checkCustom: customChecker(deps, caller) });
  await plugin.validate?.(values, { caller, services: deps.services, stack });
  return values;
}
