/**
 * Resource types for the engine's tests. `Test::Thing` keeps its objects in
 * a FakeCloud (so a test can see leaks), may fail or wait on request, and
 * changes in place or by replacement; `Test::Nested` owns a nested stack.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuid } from '../../../src/core/ids.js';
import { isJsonObject, type Json, type JsonObject } from '../../../src/orchestration/json.js';
import type { ResourcePlugin } from '../../../src/orchestration/resources/types.js';

/** The objects Test::Thing makes: in memory, or as files in `dir` so a test can count them across processes killed with SIGKILL. */
export class FakeCloud {
  readonly #memory = new Map<string, JsonObject>();

  constructor(private readonly dir: string | null = null) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  put(id: string, object: JsonObject): void {
    if (!this.dir) {
      this.#memory.set(id, object);
      return;
    }
    const file = join(this.dir, `${id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(object));
    renameSync(`${file}.tmp`, file);
  }

  get(id: string): JsonObject | undefined {
    if (!this.dir) return this.#memory.get(id);
    const file = join(this.dir, `${id}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JsonObject) : undefined;
  }

  remove(id: string): boolean {
    if (!this.dir) return this.#memory.delete(id);
    const file = join(this.dir, `${id}.json`);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }

  ids(): string[] {
    if (!this.dir) return [...this.#memory.keys()];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  get size(): number {
    return this.ids().length;
  }

  /** The object an earlier, interrupted create made under this name. */
  findByName(name: string): string | undefined {
    return this.ids().find((id) => this.get(id)?.name === name);
  }
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
      delete_delay_ms: { type: 'integer', updateAllowed: true, default: 0 },
    },
    attributes: { value: { description: 'The value.' }, name: { description: 'The service-side name.' } },
    async create(ctx, properties) {
      // Crash-safe as the contract asks: an earlier attempt's object is found by its physical id or name.
      const known = ctx.resource.physicalId ?? cloud.findByName(ctx.resource.physicalName);
      const id = known && cloud.get(known) ? known : uuid();
      if (!cloud.get(id)) cloud.put(id, { ...properties, name: ctx.resource.physicalName });
      if (ctx.resource.physicalId !== id) await ctx.setPhysicalId(id);
      await sleep(Number(properties.delay_ms ?? 0), undefined, { signal: ctx.signal });
      if (properties.fail === true) throw new Error('Went wrong on purpose');
    },
    async update(ctx, change) {
      const id = ctx.resource.physicalId;
      if (change.properties.fail === true) throw new Error('Update went wrong on purpose');
      await sleep(Number(change.properties.delay_ms ?? 0), undefined, { signal: ctx.signal });
      if (id) cloud.put(id, { ...change.properties, name: ctx.resource.physicalName });
    },
    async delete(ctx) {
      const id = ctx.resource.physicalId ?? cloud.findByName(ctx.resource.physicalName);
      if (!id) return;
      // A slow delete, so a test can interrupt one.
      await sleep(Number(cloud.get(id)?.delete_delay_ms ?? 0), undefined, { signal: ctx.signal });
      cloud.remove(id);
    },
    async resolveAttribute(ctx, name) {
      const object = ctx.resource.physicalId ? cloud.get(ctx.resource.physicalId) : undefined;
      return object?.[name] ?? null;
    },
    async show(ctx) {
      return ctx.resource.physicalId ? (cloud.get(ctx.resource.physicalId) ?? null) : null;
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
    nestedTemplate: (properties) => request(properties),
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
