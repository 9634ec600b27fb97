/**
 * One stack as the engine works on it: its row, its parsed template, its
 * parameters and conditions, and its resources as stored. Snippets resolve
 * against it (`scope()`), so `get_resource` and `get_attr` see the
 * resources' latest recorded state.
 */
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json } from '../json.js';
import type { ResourcePlugin } from '../resources/types.js';
import { getStack, stackResources, type Resource, type Stack } from '../store/index.js';
import type { ParsedTemplate, ResolveScope, ResourceDefinition } from '../template/types.js';
import { deferredCaller } from './deferred-auth.js';
import type { EngineDeps } from './deps.js';

/** Reads `get_attr`'s attribute and path of a resource (the engine's `readAttribute`). */
export type AttributeReader = (runtime: StackRuntime, resource: Resource, attribute: string, path: Json[]) => Promise<Json>;

export class StackRuntime {
  readonly parsed: ParsedTemplate;
  readonly conditions: Record<string, boolean>;
  /** Current rows by name (rows being replaced are in `rows` only). */
  resources = new Map<string, Resource>();
  rows: Resource[] = [];

  private constructor(
    readonly deps: EngineDeps,
    public stack: Stack,
    private readonly acting: CallerContext | Error,
    /** The caller it was loaded to act as (a user's request, or the parent a nested stack is read for); undefined: as the stack. */
    readonly requestCaller: CallerContext | undefined,
  ) {
    this.parsed = deps.template.parseTemplate(stack.template);
    this.conditions = deps.template.evaluateConditions(this.parsed, stack.parameters);
  }

  /**
   * Loads the stack to act as `requestCaller` (work done within a user's
   * request, or for the parent a nested stack is read for), else as the
   * stack's deferred caller (its trust's).
   */
  static async load(deps: EngineDeps, stackId: string, requestCaller?: CallerContext): Promise<StackRuntime> {
    const stack = await getStack(deps.db, stackId);
    if (!stack) throw new Error(`stack ${stackId} is gone`);
    // A trust that no longer holds fails only the work that acts, where it can be recorded as that work's failure.
    const acting = requestCaller ?? (await deferredCaller(deps, stack).catch((error: unknown) => asError(error)));
    const runtime = new StackRuntime(deps, stack, acting, requestCaller);
    await runtime.refresh();
    return runtime;
  }

  /** Who acts on the stack's resources; throws identity's error when the stack's trust no longer holds. */
  get caller(): CallerContext {
    if (this.acting instanceof Error) throw this.acting;
    return this.acting;
  }

  /** Why the stack cannot act now (its trust no longer holds), or null. */
  get authorityError(): Error | null {
    return this.acting instanceof Error ? this.acting : null;
  }

  async refresh(): Promise<void> {
    const stack = await getStack(this.deps.db, this.stack.id);
    if (stack) this.stack = stack;
    this.rows = await stackResources(this.deps.db, this.stack.id);
    this.resources = new Map(this.rows.filter((r) => r.replacedBy === null).map((r) => [r.name, r]));
  }

  /** The resources the template makes under the stack's conditions. */
  definitions(): ResourceDefinition[] {
    return this.deps.template.activeResources(this.parsed, this.conditions);
  }

  dependencies(def: ResourceDefinition): string[] {
    return this.deps.template.resourceDependencies(this.parsed, def, this.conditions);
  }

  plugin(type: string, resourceName: string): ResourcePlugin {
    return this.deps.registry.resolve(type, this.stack.environment, this.stack.files, resourceName);
  }

  /** What `get_resource` answers: the plugin's reference id, else the physical id, else the name. */
  referenceId(resource: Resource): string {
    // Resolved through the stack's environment: a template resource's type is a file name, not a registered type.
    const plugin = this.plugin(resource.type, resource.name);
    const state = { ...resource, uuid: resource.id };
    return plugin.referenceId?.(state) ?? resource.physicalId ?? resource.name;
  }

  scope(readAttribute: AttributeReader): ResolveScope {
    const lookup = (name: string): Resource => {
      const resource = this.resources.get(name);
      if (!resource) throw new BadRequest(`The specified reference "${name}" (in unknown) is incorrect.`, { type: 'InvalidTemplateReference' });
      return resource;
    };
    return {
      parameters: this.stack.parameters,
      conditions: this.conditions,
      files: this.stack.files,
      getResource: (name) => {
        const resource = this.resources.get(name);
        return resource ? this.referenceId(resource) : null;
      },
      getAttr: (name, attribute, path) => readAttribute(this, lookup(name), attribute, path),
      getAllAttrs: async (name) => {
        const resource = lookup(name);
        const plugin = this.plugin(resource.type, resource.name);
        const values: Record<string, Json> = {};
        for (const attribute of Object.keys(plugin.attributes)) values[attribute] = await readAttribute(this, resource, attribute, []);
        return values;
      },
    };
  }

  async resolve(snippet: Json, readAttribute: AttributeReader): Promise<Json> {
    return this.deps.template.resolveSnippet(this.parsed, snippet, this.scope(readAttribute));
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** `get_attr`'s extra path: list indexes and map keys; null where the value has no such member. */
export function followPath(value: Json, path: Json[]): Json {
  let current: Json = value;
  for (const key of path) {
    if (Array.isArray(current) && (typeof key === 'number' || (typeof key === 'string' && /^\d+$/.test(key)))) current = current[Number(key)] ?? null;
    else if (isJsonObject(current) && typeof key === 'string') current = current[key] ?? null;
    else return null;
  }
  return current;
}
