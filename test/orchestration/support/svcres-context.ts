/**
 * A ResourceContext for driving the service resource types against a real
 * in-process cloud: the caller comes from a real token, `services` are the
 * test server's operations, and the engine's bookkeeping (physical id, data,
 * metadata) is kept in memory so a test can inspect it or "crash" and call
 * again with the same state. Nested stacks, siblings and signals belong to
 * other rooms and fail loudly if a type reaches for them.
 */
import type { CallerContext } from '../../../src/core/context.js';
import { createLogger } from '../../../src/core/logger.js';
import type { ServiceRegistry } from '../../../src/core/service-module.js';
import type { Json, JsonObject } from '../../../src/orchestration/json.js';
import type { ResourceContext, ResourcePlugin, ResourceState, StackInfo } from '../../../src/orchestration/resources/types.js';
import type { TestServer } from '../../support/server.js';

export interface SvcresCloud {
  cloud: TestServer;
  services: ServiceRegistry;
  demo: CallerContext;
  admin: CallerContext;
}

/** The test server's doors, as the engine hands them to plugins. */
export async function svcresCloud(cloud: TestServer): Promise<SvcresCloud> {
  const services: ServiceRegistry = Object.fromEntries(Object.entries(cloud.server.services).map(([name, instance]) => [name, instance.operations]));
  const identity = cloud.server.services.identity as { authenticator: { authenticate(token: string): Promise<CallerContext> } };
  return {
    cloud,
    services,
    demo: await identity.authenticator.authenticate(await cloud.demoToken()),
    admin: await identity.authenticator.authenticate(await cloud.adminToken()),
  };
}

export interface FakeResource {
  ctx: ResourceContext;
  state: ResourceState;
  plugin: ResourcePlugin;
  create(properties: JsonObject): Promise<void>;
  update(properties: JsonObject): Promise<void>;
  delete(): Promise<void>;
  attr(name: string): Promise<Json>;
  /** The properties of the last create or update. */
  properties: JsonObject;
}

let serial = 0;

const absent = (what: string) => () => {
  throw new Error(`svcres tests do not provide ${what}`);
};

/** A resource of `plugin` in a one-resource stack owned by `caller`; defaults as the engine applies them. */
export function fakeResource(svc: SvcresCloud, plugin: ResourcePlugin, options: { caller?: CallerContext; name?: string } = {}): FakeResource {
  const caller = options.caller ?? svc.demo;
  serial += 1;
  const name = options.name ?? `res${serial}`;
  const state: ResourceState = {
    name,
    uuid: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    type: plugin.type,
    physicalId: null,
    physicalName: `svcres-${name}-${Math.random().toString(36).slice(2, 14)}`,
    data: {},
    metadata: {},
  };
  const stack: StackInfo = {
    id: '11111111-1111-4111-8111-111111111111',
    name: 'svcres',
    projectId: caller.project?.id ?? '',
    nestedDepth: 0,
    timeoutMins: null,
    environment: { parameters: {}, parameter_defaults: {}, resource_registry: {}, event_sinks: [], encrypted_param_names: [] },
    files: {},
  };
  const ctx: ResourceContext = {
    caller,
    services: svc.services,
    stack,
    resource: state,
    signal: new AbortController().signal,
    log: createLogger('silent'),
    setPhysicalId: async (id) => {
      state.physicalId = id;
    },
    setData: async (key, value) => {
      state.data[key] = value;
    },
    deleteData: async (key) => {
      delete state.data[key];
    },
    setMetadata: async (metadata) => {
      state.metadata = metadata;
    },
    get nested(): never {
      return absent('nested stacks')();
    },
    sibling: absent('siblings'),
    invokeSibling: absent('siblings'),
    signalUrls: { heat: absent('signal URLs'), cfn: absent('signal URLs') },
    get softwareConfigs(): never {
      return absent('software configs')();
    },
    publicUrl: () => svc.cloud.url,
  };
  const withDefaults = (properties: JsonObject): JsonObject => {
    const result: JsonObject = { ...properties };
    for (const [key, schema] of Object.entries(plugin.properties)) if (!(key in result) && schema.default !== undefined) result[key] = schema.default;
    return result;
  };
  const resource: FakeResource = {
    ctx,
    state,
    plugin,
    properties: {},
    async create(properties) {
      resource.properties = withDefaults(properties);
      await plugin.validate?.(resource.properties, { caller, services: svc.services, stack });
      await plugin.create(ctx, resource.properties);
    },
    async update(properties) {
      const next = withDefaults(properties);
      const previous = resource.properties;
      const changed = [...new Set([...Object.keys(next), ...Object.keys(previous)])].filter((k) => JSON.stringify(next[k]) !== JSON.stringify(previous[k]));
      const change = { properties: next, previous, changed };
      const replace = plugin.needsReplace ? plugin.needsReplace(change) : changed.some((k) => plugin.properties[k]?.updateAllowed !== true);
      if (replace) throw new Error(`update would replace ${name}: ${changed.join(', ')}`);
      await plugin.update?.(ctx, change);
      resource.properties = next;
    },
    delete: () => plugin.delete(ctx),
    attr: (attribute) => (attribute === 'show' && plugin.show ? plugin.show(ctx) : plugin.resolveAttribute(ctx, attribute)),
  };
  return resource;
}

/** The NimbusError a call rejects with. */
export async function failure(promise: Promise<unknown>): Promise<Error & { status?: number; type?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { status?: number; type?: string };
  }
  throw new Error('expected the call to fail');
}
