/**
 * The services a fault rule may name, and the paths it matches against.
 * A rule names a service by its module name (`compute`), its catalog type
 * (`compute`, `volumev3`, `block-storage`) or its catalog name (`nova`,
 * `cinder`); the rule keeps the module name.
 *
 * A request's path is tried two ways: relative to the service's prefix
 * (`/v2.1/servers` under `/compute`) and relative to its catalog endpoint
 * (`/servers` under `/compute/v2.1`; `/volumes` under
 * `/volume/v3/$(project_id)s`, any project), so the path a client's API
 * reference shows matches as written.
 */

/** What the server tells the registry of each service module. */
export interface FaultTargetModule {
  name: string;
  prefix: string;
  catalog: Array<{ type: string; name: string; path: string }>;
}

export class FaultTarget {
  readonly name: string;
  readonly prefix: string;
  /** The endpoints' paths below the prefix, as patterns (a project id is any segment). */
  readonly #endpoints: RegExp[];

  constructor(module: FaultTargetModule) {
    this.name = module.name;
    this.prefix = module.prefix;
    this.#endpoints = module.catalog
      .map((entry) => entry.path.slice(module.prefix.length))
      .filter((below) => below !== '' && below !== '/')
      .map((below) => new RegExp(`^${escapeRegex(below).replace(/\\\$\\\(\w+\\\)s/g, '[^/]+')}(?=/|$)`));
  }

  /** The request path (no query) relative to the prefix, then to each endpoint it lies under. */
  relativePaths(url: string): string[] {
    const path = url.split('?')[0] ?? '';
    const belowPrefix = path.slice(this.prefix.length) || '/';
    const paths = [belowPrefix];
    for (const endpoint of this.#endpoints) {
      const match = endpoint.exec(belowPrefix);
      if (match) paths.push(belowPrefix.slice(match[0].length) || '/');
    }
    return paths;
  }
}

/** Every name a rule may use for a service, mapped to the module's name. */
export function serviceAliases(modules: FaultTargetModule[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const module of modules) {
    aliases.set(module.name, module.name);
    for (const entry of module.catalog) {
      if (!aliases.has(entry.type)) aliases.set(entry.type, module.name);
      if (!aliases.has(entry.name)) aliases.set(entry.name, module.name);
    }
  }
  return aliases;
}

/**
 * A rule's `path` as a test: `^...` is a regular expression (JavaScript
 * syntax, searched in the relative path); anything else is a glob matched
 * whole, where `*` is any run of characters within one segment and `**` any
 * run across segments (`/servers/*` is one server, `/servers/**` anything below).
 */
export function pathMatcher(pattern: string): (path: string) => boolean {
  if (pattern.startsWith('^')) {
    const regex = new RegExp(pattern);
    return (path) => regex.test(path);
  }
  const source = pattern
    .split('**')
    .map((part) => part.split('*').map(escapeRegex).join('[^/]*'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(path);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
