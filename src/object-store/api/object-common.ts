/** What every object write shares: its location, the headers it stores (checked), its container. */
import { BadRequest, NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { checkDloManifest } from '../middleware/large-objects.js';
import { checkMetadata } from '../proxy/constraints.js';
import { objectUserHeaders } from '../proxy/metadata.js';
import type { ObjectLocation } from '../proxy/replicated-objects.js';
import type { ContainerInfo } from '../storage/contract.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

export function location(req: SwiftRequest): ObjectLocation {
  return { account: req.account, container: req.container as string, object: req.object as string };
}

/**
 * The headers a write stores, checked: X-Delete-At / X-Delete-After into the
 * stored X-Delete-At (400 when not a future time), X-Object-Manifest's form,
 * the metadata limits.
 */
export function writeHeaders(headers: Record<string, string>): Record<string, string> {
  const user = objectUserHeaders(headers);
  checkDloManifest(user['x-object-manifest']);
  const after = headers['x-delete-after'];
  if (after !== undefined) {
    if (!/^\d+$/.test(after.trim())) throw new BadRequest('Non-integer X-Delete-After');
    user['x-delete-at'] = String(Math.floor(Date.now() / 1000) + Number(after));
  } else if (user['x-delete-at'] !== undefined) {
    const at = user['x-delete-at'].trim();
    if (!/^\d+(\.\d+)?$/.test(at)) throw new BadRequest('Non-integer X-Delete-At');
    if (Number(at) < Date.now() / 1000) throw new BadRequest('X-Delete-At in past');
    user['x-delete-at'] = String(Math.floor(Number(at)));
  }
  checkMetadata(user, 'object');
  return user;
}

export async function targetContainer(api: SwiftApi, where: ObjectLocation): Promise<ContainerInfo> {
  const info = await api.containers.info(where.account, where.container);
  if (!info) throw new NotFound(STANDARD_BODY);
  return info;
}
