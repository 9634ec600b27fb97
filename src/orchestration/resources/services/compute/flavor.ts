/** OS::Nova::Flavor: a flavor (admin), public or shared with the given projects. */
import type { ComputeFlavor } from '../../../../compute/operations.js';
import { attribute, boolean, integer, map, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { flag, integer as integerOf, stringMap, strings, text } from '../support.js';
import { nova } from './lookups.js';

export const flavorResource = serviceResource<ComputeFlavor>(
  {
    type: 'OS::Nova::Flavor',
    description: 'A Nova flavor (by default policy, admins only).',
    nameProperty: 'name',
    properties: {
      tenants: stringList('List of tenants the private flavor is shared with.', { default: [] }),
      flavorid: string('Unique ID of the flavor. If not specified, an UUID will be auto generated and used.'),
      name: string('Name of the flavor.'),
      ram: integer('Memory in MB for the flavor.', { required: true }),
      vcpus: integer('Number of VCPUs for the flavor.', { required: true }),
      disk: integer('Size of local disk in GB. The "0" size is a special case that uses the native base image size as the size of the ephemeral root volume.', {
        default: 0,
      }),
      swap: integer('Swap space in MB.', { default: 0 }),
      ephemeral: integer('Size of a secondary ephemeral data disk in GB.', { default: 0 }),
      extra_specs: map('Key/Value pairs to extend the capabilities of the flavor.'),
      is_public: boolean('Scope of flavor accessibility. Public or private. Default value is True, means public, shared across all projects.', {
        default: true,
      }),
    },
    attributes: {
      is_public: attribute('Whether the flavor is shared across all projects.', 'boolean'),
      extra_specs: attribute('Extra specs of the flavor in key-value pairs.', 'map'),
      name: attribute('Name of the flavor.', 'string'),
    },
  },
  {
    get: (ctx, id) => nova(ctx.services).getFlavor(ctx.caller, id),
    findByName: async (ctx, name) => (await nova(ctx.services).listFlavors(ctx.caller)).find((f) => f.name === name) ?? null,
    create(ctx, p, name) {
      const id = text(p, 'flavorid');
      const specs = stringMap(p, 'extra_specs');
      return nova(ctx.services).createFlavor(ctx.caller, {
        name,
        ...(id !== undefined && { id }),
        ramMb: integerOf(p, 'ram') ?? 0,
        vcpus: integerOf(p, 'vcpus') ?? 0,
        diskGb: integerOf(p, 'disk') ?? 0,
        swapMb: integerOf(p, 'swap') ?? 0,
        ephemeralGb: integerOf(p, 'ephemeral') ?? 0,
        isPublic: flag(p, 'is_public') ?? true,
        ...(specs !== undefined && { extraSpecs: specs }),
        projects: strings(p, 'tenants'),
      });
    },
    remove: (ctx, id) => nova(ctx.services).deleteFlavor(ctx.caller, id),
    idOf: (f) => f.id,
    view: (f) => ({
      id: f.id,
      name: f.name,
      ram: f.ramMb,
      vcpus: f.vcpus,
      disk: f.diskGb,
      swap: f.swapMb === 0 ? '' : f.swapMb,
      'OS-FLV-EXT-DATA:ephemeral': f.ephemeralGb,
      'os-flavor-access:is_public': f.isPublic,
      description: f.description,
      extra_specs: f.extraSpecs,
      is_public: f.isPublic,
    }),
  },
);
