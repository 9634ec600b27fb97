/**
 * Resource types for the engine's tests. `Test::Thing` keeps its objects in
 * a FakeCloud (so a test can see leaks), may fail or wait on request, and
 * changes in place or by replacement; `Test::Nested` owns a nested stack.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { uuid } from '../../../src/core/ids.js';
import { isJsonObject, type Json, type JsonObject } from '../../../src/orchestration/json.js';
import type { ResourcePlugin } from '../../../src/orchestration/resources/types.js';

export class FakeCloud {
  readonly objects = new Map<string, JsonObject>();
  creates = 0;
  deletes = 0;
}

export function testPlugins(cloud: FakeCloud): ResourcePlugin[] {
  const thing: ResourcePlugin = {
    type: 'Test::Thing',
    description: 'A thing in the fake cloud.',
    properties: {
      value: { type: 'string', updateAllowed: true, default: '' },
      fixed: { type: 'string', default: '' },
      fail: { type: 'boolean', updateAllowed: true, default: false },
      delay_ms: { type: 'integer', updateAllowed: true, default: 0 },
    },
    attributes: { value: { description: 'The value.' }, name: { description: 'The service-side name.' } },
    async create(ctx, properties) {
      // Crash-safe as the contract asks: an earlier attempt's object is found by its physical id.
      const existing = ctx.resource.physicalId;
      const id = existing && cloud.objects.has(existing) ? existing : uuid();
      if (!cloud.objects.has(id)) {
        cloud.objects.set(id, { ...properties, name: ctx.resource.physicalName });
        cloud.creates++;
        await ctx.setPhysicalId(id);
      }
      await sleep(Number(properties.delay_ms ?? 0), undefined, { signal: ctx.signal });
      if (properties.fail === true) throw new Error('Went wrong on purpose');
    },
    async update(ctx, change) {
      const id = ctx.resource.physicalId;
      if (change.properties.fail === true) throw new Error('Update went wrong on purpose');
      await sleep(Number(change.properties.delay_ms ?? 0), undefined, { signal: ctx.signal });
      if (id) cloud.objects.set(id, { ...change.properties, name: ctx.resource.physicalName });
    },
    async delete(ctx) {
      const id = ctx.resource.physicalId;
      if (id && cloud.objects.delete(id)) cloud.deletes++;
    },
    async resolveAttribute(ctx, name) {
      const object = ctx.resource.physicalId ? cloud.objects.get(ctx.resource.physicalId) : undefined;
      return object?.[name] ?? null;
    },
    async show(ctx) {
      return ctx.resource.physicalId ? (cloud.objects.get(ctx.resource.physicalId) ?? null) : null;
    },
  };

  const nested: ResourcePlugin = {
    type: 'Test::Nested',
    description: 'A nested stack.',
    properties: {
      // JSON text, so the parent does not evaluate the nested template's functions.
      template: { type: 'string', required: true, updateAllowed: true },
      parameters: { type: 'map', default: {}, updateAllowed: true },
    },
    attributes: { outputs: { description: 'The nested outputs.' } },
    async create(ctx, properties) {
      const { stackId } = await ctx.nested.apply(request(properties));
      await ctx.setPhysicalId(stackId);
    },
    async update(ctx, change) {
      await ctx.nested.apply(request(change.properties));
    },
    async delete(ctx) {
      await ctx.nested.delete();
    },
    async resolveAttribute(ctx, name) {
      return name === 'outputs' && ctx.nested.stackId ? ctx.nested.outputs() : null;
    },
  };

  const signalled: ResourcePlugin = {
    type: 'Test::Signalled',
    description: 'Records the signals it gets.',
    properties: {},
    attributes: { signals: { description: 'Signals received.' } },
    async create() {},
    async delete() {},
    async resolveAttribute(ctx) {
      return ctx.resource.data.signals ?? '';
    },
    async signal(ctx, details: Json) {
      await ctx.setData('signals', (ctx.resource.data.signals ?? '') + JSON.stringify(details));
    },
  };
  return [thing, nested, signalled];
}

function request(properties: JsonObject) {
  const template = JSON.parse(String(properties.template)) as Json;
  return { template: isJsonObject(template) ? template : {}, parameters: isJsonObject(properties.parameters) ? properties.parameters : {} };
}
