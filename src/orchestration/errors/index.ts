/**
 * Heat's errors as data, one file per room so each room keeps its own
 * catalogue: template.ts (parsing, functions, parameters, properties),
 * engine.ts (stacks, resources, locks, actions), api.ts (requests, routes).
 * Every error is a core NimbusError whose `type` is Heat's exception class
 * name (`StackValidationFailed`, `EntityNotFound`, ...): the API renders it
 * in heat-api's fault body, `error.type` included.
 */
export * from './template.js';
export * from './engine.js';
export * from './api.js';
