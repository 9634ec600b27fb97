/**
 * Placement's request bodies as JSON schemas, per microversion range where
 * they change (placement/schemas/*.py are the reference). Routes check them
 * after the policy check, as Placement's handlers call `extract_json` after
 * `context.can` (see `jsonBody` in common.ts); violations read "JSON does
 * not validate: ..." (`placementSchemaError` in ../errors.ts).
 */
import type { BodySchema } from '../../core/http/versioned-body.js';
import type { VersionedEntry } from '../../core/microversions.js';

/** Placement's db MAX_INT, the bound of inventory amounts. */
const MAX_INT = 2147483647;
const RC_PATTERN = '^[A-Z0-9_]+$';
const UUID_PATTERN = '^[0-9a-fA-F-]{36}$';
const CUSTOM_PATTERN = '^CUSTOM_[A-Z0-9_]+$';

const uuid = { type: 'string', format: 'uuid' } as const;
/** A provider's or consumer's generation (non-negative: Nimbus never hands out another). */
const generation = { type: 'integer', minimum: 0 } as const;
const ownerId = { type: 'string', minLength: 1, maxLength: 255 } as const;
const closed = (properties: Record<string, object>, required: string[] = []) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as const;

// ---- resource providers ---------------------------------------------------------

const providerName = { type: 'string', minLength: 1, maxLength: 200 } as const;
const parentUuid = { anyOf: [uuid, { type: 'null' }] } as const;

export const providerCreate: VersionedEntry<BodySchema>[] = [
  { from: '1.0', to: '1.13', value: closed({ name: providerName, uuid }, ['name']) },
  { from: '1.14', value: closed({ name: providerName, uuid, parent_provider_uuid: parentUuid }, ['name']) },
];

export const providerUpdate: VersionedEntry<BodySchema>[] = [
  { from: '1.0', to: '1.13', value: closed({ name: providerName }, ['name']) },
  { from: '1.14', value: closed({ name: providerName, parent_provider_uuid: parentUuid }, ['name']) },
];

// ---- inventories ---------------------------------------------------------------------

const amount = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_INT }) as const;
const inventoryFields = {
  total: amount(1),
  reserved: amount(0),
  min_unit: amount(1),
  max_unit: amount(1),
  step_size: amount(1),
  allocation_ratio: { type: 'number', exclusiveMinimum: 0, maximum: 3.40282e38 },
} as const;
const inventoryRecord = closed(inventoryFields, ['total']);

/** PUT /resource_providers/{uuid}/inventories: every inventory of the provider. */
export const inventoriesReplace = closed(
  {
    resource_provider_generation: generation,
    inventories: { type: 'object', patternProperties: { [RC_PATTERN]: inventoryRecord }, additionalProperties: false },
  },
  ['resource_provider_generation', 'inventories'],
);

/** POST /resource_providers/{uuid}/inventories: one more class. */
export const inventoryCreate = closed(
  { ...inventoryFields, resource_class: { type: 'string', pattern: RC_PATTERN }, resource_provider_generation: generation },
  ['total', 'resource_class', 'resource_provider_generation'],
);

/** PUT /resource_providers/{uuid}/inventories/{rc}. */
export const inventoryUpdate = closed({ ...inventoryFields, resource_provider_generation: generation }, ['total', 'resource_provider_generation']);

// ---- resource classes, traits, aggregates ---------------------------------------------------

/** POST /resource_classes, and PUT /resource_classes/{name} (a rename) before 1.7. */
export const resourceClassName = closed({ name: { type: 'string', maxLength: 255, pattern: CUSTOM_PATTERN } }, ['name']);

export const providerTraits = closed(
  { traits: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 255 } }, resource_provider_generation: generation },
  ['traits', 'resource_provider_generation'],
);

const aggregateList = { type: 'array', items: uuid, uniqueItems: true } as const;
/** PUT /resource_providers/{uuid}/aggregates: a bare list before 1.19, with the generation from 1.19. */
export const providerAggregates: VersionedEntry<BodySchema>[] = [
  { from: '1.1', to: '1.18', value: aggregateList },
  { from: '1.19', value: closed({ aggregates: aggregateList, resource_provider_generation: generation }, ['aggregates', 'resource_provider_generation']) },
];

// ---- allocations -----------------------------------------------------------------------

const resources = {
  type: 'object',
  minProperties: 1,
  patternProperties: { [RC_PATTERN]: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
} as const;

/** 1.0 - 1.11: a list of `{resource_provider: {uuid}, resources}`. */
const allocationList = {
  type: 'array',
  minItems: 1,
  items: closed({ resource_provider: closed({ uuid }, ['uuid']), resources }, ['resource_provider', 'resources']),
} as const;

/** 1.12+: `{<provider uuid>: {resources, generation?}}`; empty (a removal) from 1.28 and in POST. */
const allocationDict = (minProperties: number) =>
  ({
    type: 'object',
    minProperties,
    patternProperties: { [UUID_PATTERN]: closed({ generation: { type: 'integer' }, resources }, ['resources']) },
    additionalProperties: false,
  }) as const;

const consumerGeneration = { type: ['integer', 'null'] } as const;
const consumerType = { type: 'string', pattern: RC_PATTERN, minLength: 1, maxLength: 255 } as const;
/** 1.34: which provider satisfied which request group; accepted, not kept. */
const mappings = { type: 'object', additionalProperties: { type: 'array', minItems: 1, items: uuid } } as const;

const owners = { project_id: ownerId, user_id: ownerId };
const v112 = (minProperties: number) => ({ allocations: allocationDict(minProperties), ...owners });
const v128 = { ...v112(0), consumer_generation: consumerGeneration };
const v134 = { ...v128, mappings };
const v138 = { ...v134, consumer_type: consumerType };
const ownerKeys = ['allocations', 'project_id', 'user_id'];

/** One consumer's allocations as PUT /allocations/{consumer} takes them. */
export const allocationsPut: VersionedEntry<BodySchema>[] = [
  { from: '1.0', to: '1.7', value: closed({ allocations: allocationList }, ['allocations']) },
  { from: '1.8', to: '1.11', value: closed({ allocations: allocationList, ...owners }, ownerKeys) },
  { from: '1.12', to: '1.27', value: closed(v112(1), ownerKeys) },
  { from: '1.28', to: '1.33', value: closed(v128, [...ownerKeys, 'consumer_generation']) },
  { from: '1.34', to: '1.37', value: closed(v134, [...ownerKeys, 'consumer_generation']) },
  { from: '1.38', value: closed(v138, [...ownerKeys, 'consumer_generation', 'consumer_type']) },
];

const byUuid = (entry: object, minProperties = 1) =>
  ({ type: 'object', minProperties, patternProperties: { [UUID_PATTERN]: entry }, additionalProperties: false }) as const;

/** Several consumers' allocations at once, keyed by consumer (POST /allocations, 1.13). */
export const allocationsPost: VersionedEntry<BodySchema>[] = [
  { from: '1.13', to: '1.27', value: byUuid(closed(v112(0), ownerKeys)) },
  { from: '1.28', to: '1.33', value: byUuid(closed(v128, [...ownerKeys, 'consumer_generation'])) },
  { from: '1.34', to: '1.37', value: byUuid(closed(v134, [...ownerKeys, 'consumer_generation'])) },
  { from: '1.38', value: byUuid(closed(v138, [...ownerKeys, 'consumer_generation', 'consumer_type'])) },
];

// ---- reshaper ----------------------------------------------------------------------------

const reshaperInventories = byUuid(
  closed(
    {
      inventories: { type: 'object', patternProperties: { [RC_PATTERN]: inventoryRecord }, additionalProperties: false },
      resource_provider_generation: generation,
    },
    ['inventories', 'resource_provider_generation'],
  ),
  0,
);

/** POST /reshaper (1.30): inventories by provider and allocations by consumer. */
export const reshape: VersionedEntry<BodySchema>[] = [
  {
    from: '1.30',
    to: '1.33',
    value: closed({ inventories: reshaperInventories, allocations: byUuid(closed(v128, [...ownerKeys, 'consumer_generation']), 0) }, [
      'inventories',
      'allocations',
    ]),
  },
  {
    from: '1.34',
    to: '1.37',
    value: closed({ inventories: reshaperInventories, allocations: byUuid(closed(v134, [...ownerKeys, 'consumer_generation']), 0) }, [
      'inventories',
      'allocations',
    ]),
  },
  {
    from: '1.38',
    value: closed({ inventories: reshaperInventories, allocations: byUuid(closed(v138, [...ownerKeys, 'consumer_generation', 'consumer_type']), 0) }, [
      'inventories',
      'allocations',
    ]),
  },
];
