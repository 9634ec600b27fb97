/** Names or ids of Nova and Glance objects in server properties, turned into ids as Heat's client plugins do. */
import type { ComputeOperations } from '../../../../compute/operations.js';
import { BadRequest } from '../../../../core/errors.js';
import type { ServiceRegistry } from '../../../../core/service-module.js';
import type { ResourceContext } from '../../types.js';
import { door } from '../support.js';

export function nova(services: ServiceRegistry): ComputeOperations {
  return door(services, 'compute');
}

export async function flavorId(ctx: ResourceContext, nameOrId: string): Promise<string> {
  const flavor = await nova(ctx.services).findFlavor(ctx.caller, nameOrId);
  if (flavor === null)
    throw new BadRequest(`Error validating value '${nameOrId}': No Flavor matching {'name': '${nameOrId}'}. (HTTP 404)`, { type: 'StackValidationFailed' });
  return flavor.id;
}

export async function imageId(ctx: ResourceContext, nameOrId: string): Promise<string> {
  return (await door(ctx.services, 'image').find(ctx.caller, nameOrId)).id;
}
