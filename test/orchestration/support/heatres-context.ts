/**
 * A ResourceContext for unit tests of Heat's own resource types: resource
 * data and metadata in memory, an in-memory software config store, named
 * siblings, a scripted nested stack and fixed signal URLs. No server.
 */
import { randomUUID } from 'node:crypto';
import { serviceCaller } from '../../../src/core/context.js';
import { NotFound } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import type { Json, JsonObject } from '../../../src/orchestration/json.js';
import type {
  NestedStackRequest,
  NestedStacks,
  ResourceContext,
  ResourcePlugin,
  ResourceState,
  SiblingResource,
  SoftwareConfigRecord,
  SoftwareConfigStore,
  SoftwareDeploymentRecord,
} from '../../../src/orchestration/resources/types.js';

export const STACK = { id: '5f1b2c3d-0000-4000-8000-000000000001', name: 'teststack', projectId: 'p-1' };

export class MemoryConfigStore implements SoftwareConfigStore {
  readonly configs = new Map<string, SoftwareConfigRecord>();
  readonly deployments = new Map<string, SoftwareDeploymentRecord>();

  async createConfig(_caller: unknown, config: Omit<SoftwareConfigRecord, 'id' | 'projectId' | 'createdAt'>): Promise<SoftwareConfigRecord> {
    const record = { ...config, id: randomUUID(), projectId: STACK.projectId, createdAt: new Date().toISOString() };
    this.configs.set(record.id, record);
    return record;
  }
  async getConfig(_caller: unknown, id: string): Promise<SoftwareConfigRecord> {
    const found = this.configs.get(id);
    if (found === undefined) throw new NotFound(`Software config with id ${id} not found`);
    return found;
  }
  async deleteConfig(_caller: unknown, id: string): Promise<void> {
    if (!this.configs.delete(id)) throw new NotFound(`Software config with id ${id} not found`);
  }
  async createDeployment(
    _caller: unknown,
    deployment: Omit<SoftwareDeploymentRecord, 'id' | 'projectId' | 'createdAt' | 'updatedAt'>,
  ): Promise<SoftwareDeploymentRecord> {
    const record = { ...deployment, id: randomUUID(), projectId: STACK.projectId, createdAt: new Date().toISOString(), updatedAt: null };
    this.deployments.set(record.id, record);
    return record;
  }
  async getDeployment(_caller: unknown, id: string): Promise<SoftwareDeploymentRecord> {
    const found = this.deployments.get(id);
    if (found === undefined) throw new NotFound(`Software deployment with id ${id} not found`);
    return found;
  }
  async updateDeployment(caller: unknown, id: string, changes: Partial<SoftwareDeploymentRecord>): Promise<SoftwareDeploymentRecord> {
    const record = { ...(await this.getDeployment(caller, id)), ...changes, updatedAt: new Date().toISOString() };
    this.deployments.set(id, record);
    return record;
  }
  async deleteDeployment(_caller: unknown, id: string): Promise<void> {
    if (!this.deployments.delete(id)) throw new NotFound(`Software deployment with id ${id} not found`);
  }
}

/** A nested stack whose outputs and resources the test scripts; it records every request. */
export class FakeNestedStack implements NestedStacks {
  stackId: string | null = null;
  readonly requests: NestedStackRequest[] = [];
  deleted = false;
  outputValues: Record<string, Json> = {};
  failWith: Error | null = null;
  /** Answers `evaluate`; the default maps lists and reads `{get_resource: n}` as `ref-<n>` and `{get_attr: [n, a]}` as `<a>-of-<n>`. */
  evaluator: (snippet: Json) => Json = (snippet) => {
    if (Array.isArray(snippet)) return snippet.map((item) => this.evaluator(item));
    if (typeof snippet === 'object' && snippet !== null && !Array.isArray(snippet)) {
      if ('get_resource' in snippet) return `ref-${String(snippet.get_resource)}`;
      const args = snippet.get_attr;
      if (Array.isArray(args)) return `${args.slice(1).join('.')}-of-${String(args[0])}`;
    }
    return null;
  };
  async apply(request: NestedStackRequest) {
    this.requests.push(request);
    if (this.failWith !== null) throw this.failWith;
    this.stackId ??= randomUUID();
    return { stackId: this.stackId };
  }
  async delete() {
    this.deleted = true;
  }
  async outputs() {
    return this.outputValues;
  }
  async evaluate(snippet: Json) {
    return this.evaluator(snippet);
  }
  /** The last applied template's resources, in template order. */
  async resourceNames() {
    const last = this.requests.at(-1);
    const resources = last?.template.resources;
    return typeof resources === 'object' && resources !== null && !Array.isArray(resources) ? Object.keys(resources) : [];
  }
  async suspend() {}
  async resume() {}
}

export interface FakeContextOptions {
  name?: string;
  type?: string;
  data?: Record<string, string>;
  metadata?: JsonObject;
  physicalId?: string | null;
  store?: MemoryConfigStore;
  siblings?: Map<string, SiblingResource>;
  /** Answers invokeSibling. */
  invoke?: (name: string, method: string, args: Json) => Promise<Json>;
  timeoutMins?: number | null;
}

export interface FakeContext {
  ctx: ResourceContext;
  resource: ResourceState;
  store: MemoryConfigStore;
  nested: FakeNestedStack;
  controller: AbortController;
  siblings: Map<string, SiblingResource>;
}

export function fakeContext(options: FakeContextOptions = {}): FakeContext {
  const name = options.name ?? 'res';
  const resource: ResourceState = {
    name,
    uuid: randomUUID(),
    type: options.type ?? 'OS::Heat::None',
    physicalId: options.physicalId ?? null,
    physicalName: `${STACK.name}-${name}-abcdefghijkl`,
    data: { ...(options.data ?? {}) },
    metadata: { ...(options.metadata ?? {}) },
  };
  const store = options.store ?? new MemoryConfigStore();
  const nested = new FakeNestedStack();
  const controller = new AbortController();
  const siblings = options.siblings ?? new Map<string, SiblingResource>();
  const base = `http://nimbus.test/orchestration/v1/${STACK.projectId}/stacks/${STACK.name}/${STACK.id}/resources/${name}`;
  const ctx: ResourceContext = {
    caller: serviceCaller('heat-test', { id: STACK.projectId }),
    services: {},
    stack: {
      ...STACK,
      nestedDepth: 0,
      timeoutMins: options.timeoutMins ?? null,
      environment: { parameters: {}, parameter_defaults: {}, resource_registry: {}, event_sinks: [], encrypted_param_names: [] },
      files: {},
    },
    resource,
    signal: controller.signal,
    log: createLogger('silent'),
    async setPhysicalId(id) {
      resource.physicalId = id;
    },
    async setData(key, value) {
      resource.data[key] = value;
    },
    async deleteData(key) {
      delete resource.data[key];
    },
    async setMetadata(metadata) {
      resource.metadata = metadata;
    },
    nested,
    async sibling(siblingName) {
      return siblings.get(siblingName) ?? null;
    },
    async invokeSibling(siblingName, method, args) {
      if (options.invoke === undefined) throw new Error('no sibling to invoke');
      return options.invoke(siblingName, method, args);
    },
    signalUrls: { heat: () => `${base}/signal`, cfn: async () => `http://nimbus.test/cloudformation/v1/signal/${resource.uuid}?Signature=x` },
    softwareConfigs: store,
    publicUrl: () => 'http://nimbus.test',
  };
  return { ctx, resource, store, nested, controller, siblings };
}

/** A sibling that shares the given context's resource state (a handle a wait condition reads). */
export function siblingOf(fake: FakeContext, type: string, status = 'CREATE_COMPLETE'): SiblingResource {
  const { resource } = fake;
  return {
    get name() {
      return resource.name;
    },
    type,
    get physicalId() {
      return resource.physicalId;
    },
    get data() {
      return resource.data;
    },
    get metadata() {
      return resource.metadata;
    },
    status,
  };
}

export type { ResourcePlugin };
