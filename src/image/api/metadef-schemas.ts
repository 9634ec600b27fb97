/**
 * The JSON schemas of the metadata definitions API (`/v2/schemas/metadefs/*`,
 * Glance's names and properties), and the validation of request bodies
 * against them, answering Glance's 400 "does not match schema".
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { metadefErrors } from '../metadef-errors.js';
import { describeSchemaError } from './schemas.js';
import { lazy } from '../../core/lazy.js';

type JsonSchema = Record<string, unknown>;

const PROPERTY_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string', null];
const STAMPS: Record<string, JsonSchema> = {
  created_at: { type: 'string', readOnly: true, description: 'Date and time of creation', format: 'date-time' },
  updated_at: { type: 'string', readOnly: true, description: 'Date and time of the last modification', format: 'date-time' },
};
const LINKS: Record<string, JsonSchema> = { schema: { readOnly: true, type: 'string' }, self: { readOnly: true, type: 'string' } };

/** What describes one property: its JSON-schema keywords Glance keeps. */
const PROPERTY_FIELDS: Record<string, JsonSchema> = {
  name: { type: 'string', maxLength: 80 },
  title: { type: 'string' },
  description: { type: 'string' },
  operators: { type: 'array', items: { type: 'string' } },
  type: { type: ['string', 'null'], enum: PROPERTY_TYPES },
  required: { $ref: '#/definitions/stringArray' },
  minimum: { type: 'number' },
  maximum: { type: 'number' },
  maxLength: { $ref: '#/definitions/positiveInteger' },
  minLength: { $ref: '#/definitions/positiveIntegerDefault0' },
  pattern: { type: 'string', format: 'regex' },
  enum: { type: 'array' },
  readonly: { type: 'boolean' },
  default: {},
  items: {
    type: 'object',
    properties: { type: { type: ['string', 'null'], enum: PROPERTY_TYPES }, enum: { type: 'array' } },
  },
  maxItems: { $ref: '#/definitions/positiveInteger' },
  minItems: { $ref: '#/definitions/positiveIntegerDefault0' },
  uniqueItems: { type: 'boolean', default: false },
  additionalItems: { type: 'boolean' },
};

const DEFINITIONS: Record<string, JsonSchema> = {
  positiveInteger: { type: 'integer', minimum: 0 },
  positiveIntegerDefault0: { allOf: [{ $ref: '#/definitions/positiveInteger' }, { default: 0 }] },
  stringArray: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  property: { type: 'object', additionalProperties: { type: 'object', required: ['title', 'type'], properties: PROPERTY_FIELDS } },
};

const OBJECT_FIELDS: Record<string, JsonSchema> = {
  name: { type: 'string', maxLength: 80 },
  description: { type: 'string' },
  required: { $ref: '#/definitions/stringArray' },
  properties: { $ref: '#/definitions/property' },
};

const NAMESPACE_FIELDS: Record<string, JsonSchema> = {
  namespace: { type: 'string', description: 'The unique namespace text.', maxLength: 80 },
  display_name: { type: 'string', description: 'The user friendly name for the namespace. Used by UI if available.', maxLength: 80 },
  description: { type: 'string', description: 'Provides a user friendly description of the namespace.', maxLength: 500 },
  visibility: { type: 'string', description: 'Scope of namespace accessibility.', enum: ['public', 'private'] },
  protected: { type: 'boolean', description: 'If true, namespace will not be deletable.' },
  owner: { type: 'string', description: 'Owner of the namespace.', maxLength: 255 },
  ...STAMPS,
  ...LINKS,
  resource_type_associations: {
    type: 'array',
    items: { type: 'object', properties: { name: { type: 'string' }, prefix: { type: 'string' }, properties_target: { type: 'string' } } },
  },
  properties: { $ref: '#/definitions/property' },
  objects: { type: 'array', items: { type: 'object', properties: OBJECT_FIELDS } },
  tags: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
};

const ASSOCIATION_FIELDS: Record<string, JsonSchema> = {
  name: { type: 'string', description: 'Resource type names should be aligned with Heat resource types whenever possible.', maxLength: 80 },
  prefix: { type: 'string', description: 'Prefix for the properties of this resource type in the namespace.', maxLength: 80 },
  properties_target: { type: 'string', description: 'Which part of the resource the properties apply to (image, for a volume).', maxLength: 80 },
  ...STAMPS,
};

function entity(name: string, properties: Record<string, JsonSchema>, required: string[], definitions?: JsonSchema): JsonSchema {
  return {
    name,
    properties: structuredClone(properties),
    additionalProperties: false,
    required,
    ...(definitions && { definitions: structuredClone(definitions) }),
  };
}

function collection(name: string, item: JsonSchema): JsonSchema {
  return {
    name,
    properties: { [name]: { type: 'array', items: item }, first: { type: 'string' }, next: { type: 'string' }, schema: { type: 'string' } },
    links: [
      { rel: 'first', href: '{first}' },
      { rel: 'next', href: '{next}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

const namespace = () => entity('namespace', NAMESPACE_FIELDS, ['namespace'], DEFINITIONS);
const object = () => entity('object', { ...OBJECT_FIELDS, ...STAMPS, ...LINKS }, ['name'], DEFINITIONS);
const property = () => entity('property', PROPERTY_FIELDS, ['name', 'title', 'type'], DEFINITIONS);
const tag = () => entity('tag', { name: { type: 'string', maxLength: 80 }, ...STAMPS }, ['name']);
const association = () => entity('resource_type_association', ASSOCIATION_FIELDS, ['name']);

/** The documents under /v2/schemas/metadefs/, by their path segment. */
export const METADEF_SCHEMAS: Record<string, () => JsonSchema> = {
  namespace,
  namespaces: () => collection('namespaces', namespace()),
  object,
  objects: () => collection('objects', object()),
  property,
  properties: () => ({
    name: 'properties',
    properties: { properties: { $ref: '#/definitions/property' }, first: { type: 'string' }, next: { type: 'string' }, schema: { type: 'string' } },
    links: [{ rel: 'describedby', href: '{schema}' }],
    definitions: structuredClone(DEFINITIONS),
  }),
  tag,
  tags: () => collection('tags', tag()),
  resource_type: association,
  resource_types: () => collection('resource_type_associations', association()),
};

/** The body of `POST .../tags`: a list of names. */
const TAG_LIST: JsonSchema = {
  name: 'tags',
  type: 'object',
  properties: {
    tags: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string', maxLength: 80 } }, required: ['name'], additionalProperties: false },
    },
  },
  required: ['tags'],
  additionalProperties: false,
};

export type MetadefBodyKind = 'namespace' | 'object' | 'property' | 'tag' | 'tags' | 'resource_type_association';

/** Checks request bodies against the schemas, as Glance's deserializers do. */
export class MetadefValidator {
  // Glance's documents carry keywords JSON Schema does not define (`name`, `links`).
  readonly #ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true, validateFormats: false });
  /** Each kind's check, compiled when first used (most clouds never write a metadef). */
  readonly #validators: Record<MetadefBodyKind, () => ValidateFunction> = {
    namespace: lazy(() => this.#ajv.compile(namespace())),
    object: lazy(() => this.#ajv.compile(object())),
    property: lazy(() => this.#ajv.compile(property())),
    tag: lazy(() => this.#ajv.compile(tag())),
    tags: lazy(() => this.#ajv.compile(TAG_LIST)),
    resource_type_association: lazy(() => this.#ajv.compile(association())),
  };

  /** Throws Glance's 403 for a read-only attribute, its 400 for anything the schema refuses. */
  check(kind: MetadefBodyKind, body: Record<string, unknown>): void {
    for (const readOnly of ['self', 'schema', 'created_at', 'updated_at']) {
      if (readOnly in body) throw metadefErrors.readOnly(readOnly);
    }
    const validate = this.#validators[kind]();
    if (!validate(body)) throw metadefErrors.schemaMismatch(kind === 'tags' ? 'tags' : kind, describeSchemaError(validate.errors?.[0]));
  }
}
