/**
 * The template room's public door: parse, validate and evaluate HOT
 * templates and environments. Other rooms import only from here.
 */
export { parseTemplate } from './parse.js';
export { parseEnvironment, mergeEnvironments, emptyEnvironment } from './environment.js';
export { TEMPLATE_VERSIONS, templateFunctions } from './versions.js';
export { parameterView } from './parameter-view.js';
export { validateTemplate, type TypeLookup } from './validate.js';
export { resolveParameters, PSEUDO_PARAMETERS, type ResolveParametersOptions } from './parameters.js';
export { evaluateConditions, activeResources, outputEnabled } from './conditions.js';
export { resourceDependencies } from './dependencies.js';
export { resolveSnippet } from './evaluate.js';
export { validateProperties } from './properties.js';
export type * from './types.js';
export { resolveResourceProperties } from './resource-properties.js';
