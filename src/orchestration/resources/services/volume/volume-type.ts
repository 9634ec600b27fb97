/**
 * OS::Cinder::VolumeType: a volume type with extra specs (`metadata`) and,
 * when private, the projects it is shared with. Cinder's default policy
 * makes this admin-only.
 */
import { BadRequest } from '../../../../core/errors.js';
import type { VolumeTypeInfo, VolumeTypeUpdate } from '../../../../volume/operations.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { keystone } from '../identity/lookups.js';
import { boolean, custom, list, map, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, deleteUnlessGone, door, flag, strings, stringMap, text, unlessGone } from '../support.js';

const cinder = (ctx: ResourceContext) => door(ctx.services, 'volume');

async function projectIds(ctx: ResourceContext, namesOrIds: string[]): Promise<string[]> {
  return Promise.all(namesOrIds.map(async (project) => (await keystone(ctx.services).findProject(ctx.caller, project)).id));
}

/** Makes the type's access list `wanted`; sharing twice is a 409, so only the missing ones are added (a retry converges). */
async function syncAccess(ctx: ResourceContext, typeId: string, wanted: string[]): Promise<void> {
  const volume = cinder(ctx);
  const current = new Set(await volume.volumeTypeAccess(ctx.caller, typeId));
  const next = new Set(await projectIds(ctx, wanted));
  for (const project of current) if (!next.has(project)) await deleteUnlessGone(volume.removeVolumeTypeAccess(ctx.caller, typeId, project));
  for (const project of next) if (!current.has(project)) await volume.addVolumeTypeAccess(ctx.caller, typeId, project);
}

const plugin = serviceResource<VolumeTypeInfo>(
  {
    type: 'OS::Cinder::VolumeType',
    description: 'A Cinder volume type.',
    nameProperty: 'name',
    properties: {
      name: string('Name of the volume type.', { required: true, updateAllowed: true }),
      metadata: map('The extra specs key and value pairs of the volume type.', { updateAllowed: true }),
      is_public: boolean('Whether the volume type is accessible to the public.', { default: true, updateAllowed: true }),
      description: string('Description of the volume type.', { updateAllowed: true }),
      projects: list('Projects to add volume type access to. NOTE: This property is only supported since Cinder API V2.', {
        default: [],
        updateAllowed: true,
        schema: { '*': string('', { constraints: [custom('keystone.project')] }) },
      }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => cinder(ctx).getVolumeType(ctx.caller, id),
    findByName: async (ctx, name) => {
      const found = await unlessGone(cinder(ctx).getVolumeType(ctx.caller, name));
      return found?.name === name ? found : null;
    },
    create: (ctx, p, name) =>
      cinder(ctx).createVolumeType(ctx.caller, {
        name,
        description: text(p, 'description') ?? null,
        isPublic: flag(p, 'is_public') ?? true,
        extraSpecs: stringMap(p, 'metadata') ?? {},
      }),
    async awaitReady(ctx, type, p) {
      if (!type.isPublic) await syncAccess(ctx, type.id, strings(p, 'projects'));
    },
    async update(ctx, id, change) {
      const volume = cinder(ctx);
      const p = change.properties;
      const update: VolumeTypeUpdate = {};
      if (change.changed.includes('name')) update.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('description')) update.description = text(p, 'description') ?? null;
      if (change.changed.includes('is_public')) update.isPublic = flag(p, 'is_public') ?? true;
      if (Object.keys(update).length > 0) await volume.updateVolumeType(ctx.caller, id, update);
      if (change.changed.includes('metadata')) {
        const wanted = stringMap(p, 'metadata') ?? {};
        const { extraSpecs } = await volume.getVolumeType(ctx.caller, id);
        for (const key of Object.keys(extraSpecs)) if (!(key in wanted)) await deleteUnlessGone(volume.unsetVolumeTypeSpec(ctx.caller, id, key));
        if (Object.keys(wanted).length > 0) await volume.setVolumeTypeSpecs(ctx.caller, id, wanted);
      }
      if ((change.changed.includes('projects') || change.changed.includes('is_public')) && flag(p, 'is_public') === false) {
        await syncAccess(ctx, id, strings(p, 'projects'));
      }
    },
    remove: (ctx, id) => cinder(ctx).deleteVolumeType(ctx.caller, id),
    idOf: (type) => type.id,
    view: (type) =>
      asJson({
        id: type.id,
        name: type.name,
        description: type.description,
        is_public: type.isPublic,
        'os-volume-type-access:is_public': type.isPublic,
        extra_specs: type.extraSpecs,
      }),
  },
);

export const volumeTypeResource: ResourcePlugin = {
  ...plugin,
  async validate(p) {
    if (strings(p, 'projects').length > 0 && flag(p, 'is_public') !== false) {
      throw new BadRequest('Can not specify property "projects" if the volume type is public.', { type: 'StackValidationFailed' });
    }
  },
};
