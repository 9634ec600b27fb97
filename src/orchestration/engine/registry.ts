/**
 * The resource types a stack can use: the plugins (OS::Heat::*, service
 * types) and what an environment's `resource_registry` maps onto them
 * (type to type, `OS::Nova::*` globs, type to a template file, per-resource
 * overrides under `resources:`).
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json } from '../json.js';
import type { ResourcePlugin } from '../resources/types.js';
import type { Environment, ParsedTemplate } from '../template/types.js';
import { globMatches } from './glob.js';
import type { TemplateRoom, TypeLookup } from './template-room.js';

/** Builds the plugin of a template resource (a type mapped to a template file): engineer H's `templateResourceType`. */
export type TemplateResourceFactory = (type: string, template: ParsedTemplate) => ResourcePlugin;

/** Mapping chains longer than this are loops. */
const MAX_MAPPINGS = 10;
/** Template resource plugins kept parsed, by type and template text; the cache starts over past this many. */
const TEMPLATE_PLUGIN_CACHE_SIZE = 256;

export class ResourceRegistry {
  readonly #plugins = new Map<string, ResourcePlugin>();
  readonly #templatePlugins = new Map<string, ResourcePlugin>();

  constructor(
    plugins: ResourcePlugin[],
    private readonly template: TemplateRoom,
    private readonly templateResource: TemplateResourceFactory | null,
  ) {
    for (const plugin of plugins) this.#plugins.set(plugin.type, plugin);
  }

  /** The registered plugins, for `/resource_types`. */
  plugins(): ResourcePlugin[] {
    return [...this.#plugins.values()];
  }

  plugin(type: string): ResourcePlugin | undefined {
    return this.#plugins.get(type);
  }

  /** What `validateTemplate` asks: can this stack make a resource of `type`? */
  lookup(env: Environment, files: Record<string, string>): TypeLookup {
    return { has: (type) => this.#target(type, env, files, null) !== null };
  }

  /** The plugin a resource of the stack runs; throws Heat's 400 when the type is unknown. */
  resolve(type: string, env: Environment, files: Record<string, string>, resourceName: string): ResourcePlugin {
    const target = this.#target(type, env, files, resourceName);
    const plugin = target === null ? undefined : 'file' in target ? this.#templatePlugin(target.type, target.file, files) : this.#plugins.get(target.name);
    if (!plugin) throw new BadRequest(`The Resource Type (${type}) could not be found.`, { type: 'StackValidationFailed' });
    return plugin;
  }

  /** The template file a resource of `type` is made from (a template resource), or null. */
  templateFile(type: string, env: Environment, files: Record<string, string>, resourceName: string): string | null {
    const target = this.#target(type, env, files, resourceName);
    return target !== null && 'file' in target && target.file in files ? target.file : null;
  }

  /** Follows the environment's mappings to a registered type or a template file; null when nothing matches. */
  #target(
    type: string,
    env: Environment,
    files: Record<string, string>,
    resourceName: string | null,
  ): { name: string } | { type: string; file: string } | null {
    let current = type;
    for (let hops = 0; hops < MAX_MAPPINGS; hops++) {
      const mapped = mappingFor(env, current, resourceName);
      if (mapped === null || mapped === current) break;
      if (isTemplateFile(mapped, files)) return this.templateResource === null ? null : { type: current, file: mapped };
      current = mapped;
    }
    if (this.#plugins.has(current)) return { name: current };
    if (isTemplateFile(current, files) && this.templateResource !== null) return { type: current, file: current };
    return null;
  }

  #templatePlugin(type: string, file: string, files: Record<string, string>): ResourcePlugin | undefined {
    const text = files[file];
    if (text === undefined || this.templateResource === null) return undefined;
    // Every get_resource and attribute of a group's members resolves its plugin: parse each template once.
    const key = `${type}\0${text}`;
    let plugin = this.#templatePlugins.get(key);
    if (plugin === undefined) {
      if (this.#templatePlugins.size >= TEMPLATE_PLUGIN_CACHE_SIZE) this.#templatePlugins.clear();
      plugin = this.templateResource(type, this.template.parseTemplate(text));
      this.#templatePlugins.set(key, plugin);
    }
    return plugin;
  }
}

/** The registry entry for `type`: a per-resource override first, then the global ones (exact, then globs). */
function mappingFor(env: Environment, type: string, resourceName: string | null): string | null {
  const registry = env.resource_registry;
  const perResource = resourceName === null ? undefined : resourceSection(registry, resourceName);
  return (perResource && lookupIn(perResource, type)) ?? lookupIn(registry, type);
}

function resourceSection(registry: Record<string, Json>, resourceName: string): Record<string, Json> | undefined {
  const resources = registry.resources;
  if (!isJsonObject(resources)) return undefined;
  const section = resources[resourceName];
  return isJsonObject(section) ? section : undefined;
}

function lookupIn(entries: Record<string, Json>, type: string): string | null {
  const exact = entries[type];
  if (typeof exact === 'string') return exact;
  for (const [pattern, value] of Object.entries(entries)) {
    if (typeof value !== 'string' || !pattern.endsWith('*') || !globMatches(pattern, type)) continue;
    // `OS::Nova::*: OS::Compute::*` maps the matched tail onto the target's prefix.
    return value.endsWith('*') ? value.slice(0, -1) + type.slice(pattern.length - 1) : value;
  }
  return null;
}

function isTemplateFile(name: string, files: Record<string, string>): boolean {
  return name in files || /\.(ya?ml|template)$/.test(name) || /^(https?|file):/.test(name);
}
