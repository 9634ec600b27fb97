/**
 * `/template_versions` and their functions from the template room's tables,
 * named as Heat's template plugins are (`heat_template_version.2016-04-08`,
 * aliases such as `heat_template_version.pike`).
 */
import { NotFound } from '../../core/errors.js';
import type { JsonObject } from '../json.js';
import { TEMPLATE_VERSIONS, templateFunctions } from '../template/index.js';
import type { HeatApi } from './context.js';

const HOT_KEY = 'heat_template_version';

export const templateCatalog: HeatApi['templates'] = {
  versions(): JsonObject[] {
    return TEMPLATE_VERSIONS.map((entry) => {
      const key = entry.type === 'hot' ? HOT_KEY : 'HeatTemplateFormatVersion';
      return { version: `${key}.${entry.version}`, type: entry.type, aliases: entry.aliases.map((alias) => `${key}.${alias}`) };
    });
  },

  functions(version, withConditions): JsonObject[] {
    const prefix = `${HOT_KEY}.`;
    const functions = version.startsWith(prefix) ? templateFunctions(version.slice(prefix.length), withConditions) : [];
    if (functions.length === 0) throw new NotFound(`Template with version ${version} not found`, { type: 'NotFound' });
    return functions;
  },
};
