/**
 * OS::Swift::Container: a container in the stack owner's account, with its
 * ACLs and metadata. Deleting one that holds objects fails unless
 * PurgeOnDelete was set, as Heat's; its id is the container's name.
 */
import { Conflict } from '../../../../core/errors.js';
import type { ServiceRegistry } from '../../../../core/service-module.js';
import type { ContainerView, ObjectStoreOperations } from '../../../../object-store/operations.js';
import type { Json } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { attribute, boolean, map, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { deleteUnlessGone, door, flag, stringMap, text, unlessGone } from '../support.js';

function swift(services: ServiceRegistry): ObjectStoreOperations {
  return door(services, 'object-store');
}

/** The account's URL as the caller's catalog gives it (Heat reads the swift client's URL). */
async function accountUrl(ctx: ResourceContext): Promise<URL | null> {
  const identity = ctx.services.identity;
  if (identity === undefined) return null;
  const [endpoint] = await identity.endpoints(ctx.caller, { serviceType: 'object-store' });
  return endpoint === undefined ? null : new URL(endpoint.url);
}

const fromUrl = (read: (url: URL, container: string) => Json) => async (container: ContainerView, ctx: ResourceContext) => {
  const url = await accountUrl(ctx);
  return url === null ? null : read(url, container.name);
};

function headers(container: ContainerView): Record<string, string> {
  return {
    'x-container-object-count': String(container.objectCount),
    'x-container-bytes-used': String(container.bytesUsed),
    ...(container.readAcl !== '' && { 'x-container-read': container.readAcl }),
    ...(container.writeAcl !== '' && { 'x-container-write': container.writeAcl }),
    ...Object.fromEntries(Object.entries(container.metadata).map(([k, v]) => [`x-container-meta-${k}`, v])),
  };
}

export const containerResource = serviceResource<ContainerView>(
  {
    type: 'OS::Swift::Container',
    description: 'A Swift container.',
    nameProperty: 'name',
    properties: {
      name: string('Name for the container. If not specified, a unique name will be generated.'),
      'X-Container-Read': string('Specify the ACL permissions on who can read objects in the container.'),
      'X-Container-Write': string('Specify the ACL permissions on who can write objects to the container.'),
      'X-Container-Meta': map(
        'A map of user-defined meta data to associate with the container. Each key in the map will set the header X-Container-Meta-{key} with the corresponding value.',
        { default: {} },
      ),
      PurgeOnDelete: boolean(
        'If True, delete any objects in the container when the container is deleted. Otherwise, deleting a non-empty container will result in an error.',
        { default: false },
      ),
    },
    attributes: {
      DomainName: attribute('The host from the container URL.', 'string'),
      WebsiteURL: attribute('The URL of the container.', 'string'),
      RootURL: attribute('The parent URL of the container.', 'string'),
      ObjectCount: attribute('The number of objects stored in the container.', 'integer'),
      BytesUsed: attribute('The number of bytes stored in the container.', 'integer'),
      HeadContainer: attribute('A map containing all headers for the container.', 'map'),
    },
  },
  {
    get: (ctx, name) => swift(ctx.services).getContainer(ctx.caller, name),
    findByName: (ctx, name) => unlessGone(swift(ctx.services).getContainer(ctx.caller, name)),
    async create(ctx, p, name) {
      const read = text(p, 'X-Container-Read');
      const write = text(p, 'X-Container-Write');
      // Delete is given no properties: whether to purge is kept with the resource.
      await ctx.setData('purge_on_delete', String(flag(p, 'PurgeOnDelete') ?? false));
      await swift(ctx.services).createContainer(ctx.caller, name, {
        metadata: stringMap(p, 'X-Container-Meta') ?? {},
        ...(read !== undefined && { readAcl: read }),
        ...(write !== undefined && { writeAcl: write }),
      });
      return swift(ctx.services).getContainer(ctx.caller, name);
    },
    async remove(ctx, name) {
      const store = swift(ctx.services);
      const objects = await unlessGone(store.listObjects(ctx.caller, name));
      if (objects === null) return;
      if (objects.length > 0 && ctx.resource.data.purge_on_delete !== 'true')
        throw new Conflict(`Deleting non-empty container (${name}) when PurgeOnDelete is False is not supported for resource.`, {
          type: 'ResourceActionNotSupported',
        });
      for (const object of objects) await deleteUnlessGone(store.deleteObject(ctx.caller, name, object.name));
      await store.deleteContainer(ctx.caller, name);
    },
    idOf: (c) => c.name,
    view: headers,
    attributes: {
      DomainName: fromUrl((url) => url.hostname),
      WebsiteURL: fromUrl((url, name) => `${url.protocol}//${url.host}${url.pathname}/${name}`),
      RootURL: fromUrl((url) => `${url.protocol}//${url.host}${url.pathname}`),
      ObjectCount: (c) => c.objectCount,
      BytesUsed: (c) => c.bytesUsed,
      HeadContainer: (c) => headers(c),
    },
  },
);
