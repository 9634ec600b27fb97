/** get_param, get_resource, get_attr, get_file, resource_facade: the functions that read from the stack. */
import { isJsonObject, type Json } from '../../json.js';
import { invalidTemplateReference, userParameterMissing } from '../../errors/template.js';
import { ABSENT, argumentError, type TemplateFunction } from './types.js';

/**
 * One step of a get_param path, or undefined where the path leads nowhere
 * (a missing key or index, a scalar, a key of the wrong kind): Heat answers
 * an empty string for all of those.
 */
function step(collection: Json, key: Json): Json | undefined {
  if (collection === null || typeof collection !== 'object') return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  if (Array.isArray(collection)) {
    if (typeof key === 'string' && !/^\s*[-+]?\d+\s*$/.test(key)) return undefined;
    return collection.at(Number(key));
  }
  return collection[String(key)];
}

export const getParam: TemplateFunction = {
  apply(args, env, name) {
    if (args === null || args === '' || (Array.isArray(args) && args.length === 0) || (isJsonObject(args) && Object.keys(args).length === 0)) {
      throw argumentError(`Function "${name}" must have arguments`);
    }
    if (typeof args !== 'string' && !Array.isArray(args)) throw argumentError(`Argument to "${name}" must be string or list`);
    const [paramName, ...path] = typeof args === 'string' ? [args] : args;
    if (typeof paramName !== 'string') throw argumentError(`Parameter name in "${name}" must be string`);
    const parameter = env.parameters[paramName];
    if (parameter === undefined) throw userParameterMissing(paramName);
    let value: Json | undefined = parameter;
    for (const key of path) value = value === undefined ? undefined : step(value, key);
    return value === undefined ? '' : value;
  },
};

export const getResource: TemplateFunction = {
  apply(resourceName, env) {
    const reference = typeof resourceName === 'string' ? env.getResource(resourceName) : null;
    if (reference === null) throw invalidTemplateReference(String(resourceName), 'unknown');
    return reference;
  },
};

/** get_attr: `[resource, attribute, path...]`; from 2015-10-15 also `[resource]` for every attribute. */
export function getAttr(allAttributes: boolean): TemplateFunction {
  const form = allAttributes ? 'Arguments to "%s" can be of the next forms: [resource_name] or [resource_name, attribute, (path), ...]' : '';
  return {
    check(args, name, isCall) {
      if (isCall(args)) return;
      if (allAttributes && (args === null || (Array.isArray(args) && args.length === 0) || args === '')) throw argumentError(form.replace('%s', name));
      if (!Array.isArray(args)) throw argumentError(`Argument to "${name}" must be a list`);
      if (args.length < (allAttributes ? 1 : 2)) throw argumentError(`Arguments to "${name}" must be of the form [resource_name, attribute, (path), ...]`);
    },
    async evaluate(rawArgs, ctx, name) {
      const args = await ctx.resolve(rawArgs);
      if (args === ABSENT) return null;
      this.check?.(args, name, () => false);
      const [resourceName, attribute, ...path] = args as Json[];
      if (typeof resourceName !== 'string' || ctx.env.getResource(resourceName) === null) throw invalidTemplateReference(String(resourceName), 'unknown');
      if (attribute === undefined) return ctx.scope.getAllAttrs(resourceName);
      return ctx.scope.getAttr(resourceName, String(attribute), path);
    },
  };
}

export const getFile: TemplateFunction = {
  apply(key, env, name) {
    if (typeof key !== 'string') throw argumentError(`Argument to "${name}" must be a string`);
    const content = env.files[key];
    if (content === undefined) throw argumentError(`No content found in the "files" section for ${name} path: ${key}`);
    return content;
  },
};

const FACADE_SECTIONS = ['metadata', 'deletion_policy', 'update_policy'] as const;

export const resourceFacade: TemplateFunction = {
  check(args, name) {
    if (typeof args !== 'string' || !(FACADE_SECTIONS as readonly string[]).includes(args)) {
      throw argumentError(`Incorrect arguments to "${name}" should be one of: ${FACADE_SECTIONS.join(', ')}`);
    }
  },
  apply(args, env, name) {
    this.check?.(args, name, () => false);
    const section = args as (typeof FACADE_SECTIONS)[number];
    if (env.resourceFacade === undefined) throw argumentError(`"${name}" is only available in a template resource's nested stack`);
    return env.resourceFacade(section);
  },
};
