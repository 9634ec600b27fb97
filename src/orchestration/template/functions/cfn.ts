/**
 * The CFN functions HOT 2013-05-23 still accepted: Ref, Fn::Join, Fn::Split,
 * Fn::Replace, Fn::Base64 and Fn::ResourceFacade. (Fn::GetAZs and
 * Fn::MemberListToMap are listed but answer that this cloud lacks them.)
 */
import { isJsonObject, type Json } from '../../json.js';
import { invalidTemplateReference } from '../../errors/template.js';
import { pythonClass } from '../python-names.js';
import { resourceFacade } from './references.js';
import { listJoin, strReplace } from './strings.js';
import { argumentError, type TemplateFunction } from './types.js';

/** Ref: a resource's reference id when the name is a resource, else the parameter's value. */
export const ref: TemplateFunction = {
  apply(name, env) {
    if (typeof name === 'string') {
      const reference = env.getResource(name);
      if (reference !== null) return reference;
      const value = env.parameters[name];
      if (value !== undefined) return value;
    }
    throw invalidTemplateReference(String(name), 'unknown');
  },
};

export const join = listJoin(false);

const REPLACE_EXAMPLE = (name: string): string =>
  `Incorrect arguments to "${name}" should be: {"${name}": [ {"$var1": "foo", "%var2%": "bar"}, "$var1 is %var2%"]}`;
const hotReplace = strReplace({ json: false, strict: false, allowEmpty: true });

/** Fn::Replace: `[mapping, template]`, the old spelling of str_replace. */
export const cfnReplace: TemplateFunction = {
  check(args, name) {
    if (typeof args === 'string' || isJsonObject(args)) throw argumentError(REPLACE_EXAMPLE(name));
    if (!Array.isArray(args) || args.length !== 2) throw argumentError(REPLACE_EXAMPLE(name));
  },
  apply(args, env, name) {
    const [params, template] = args as [Json, Json];
    if (!isJsonObject(params)) throw argumentError(`"${name}" parameters must be a mapping`);
    return hotReplace.apply?.({ template, params }, env, name) ?? null;
  },
};

export const split: TemplateFunction = {
  check(args, name) {
    const example = `Incorrect arguments to "${name}" should be: "${name}" : [ ",", "str1,str2"]]`;
    if (typeof args === 'string' || isJsonObject(args) || !Array.isArray(args) || args.length !== 2) throw argumentError(example);
  },
  apply(args, _env, name) {
    const [delimiter, text] = args as [Json, Json];
    if (typeof delimiter !== 'string') throw argumentError(`Delimiter for ${name} must be string`);
    if (typeof text !== 'string') throw argumentError(`String to split must be string; got ${pythonClass(text)}`);
    return text.split(delimiter);
  },
};

export const base64: TemplateFunction = {
  apply(value, _env, name) {
    // Heat's Fn::Base64 is a placeholder that returns its string unchanged.
    if (typeof value !== 'string') throw argumentError(`"${name}" argument must be a string`);
    return value;
  },
};

const CFN_FACADE: Record<string, Json> = { Metadata: 'metadata', DeletionPolicy: 'deletion_policy', UpdatePolicy: 'update_policy' };

export const cfnResourceFacade: TemplateFunction = {
  check(args, name) {
    if (typeof args !== 'string' || !(args in CFN_FACADE))
      throw argumentError(`Incorrect arguments to "${name}" should be one of: ${Object.keys(CFN_FACADE).join(', ')}`);
  },
  apply(args, env, name) {
    return resourceFacade.apply?.(CFN_FACADE[String(args)] ?? null, env, name) ?? null;
  },
};
