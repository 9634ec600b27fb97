/**
 * OS::Heat::None: stands in for any type through the resource_registry
 * (`OS::Nova::Server: OS::Heat::None`), so it takes whatever properties the
 * real type had, answers null for every attribute and never updates or
 * replaces.
 */
import { randomUUID } from 'node:crypto';
import type { ResourcePlugin } from '../types.js';

export const noneResource: ResourcePlugin = {
  type: 'OS::Heat::None',
  description: 'Enables easily disabling certain resources via the resource_registry.',
  properties: {},
  acceptsAnyProperties: true,
  attributes: {},
  dynamicAttributes: true,
  supportStatus: { status: 'SUPPORTED', version: '5.0.0' },

  async create(ctx) {
    if (ctx.resource.physicalId === null) await ctx.setPhysicalId(randomUUID());
  },

  async update() {},

  needsReplace: () => false,

  async delete() {},

  async resolveAttribute() {
    return null;
  },
};
