/**
 * What a mapping's rules may say: Keystone's IDP_ATTRIBUTE_MAPPING_SCHEMA for
 * schema versions 1.0, 2.0 (a project may name its domain) and 3.0
 * (`projects_json`). A mapping that does not fit is Keystone's 400 listing
 * each violation as python-jsonschema words it.
 */
import type { ErrorObject } from 'ajv';
import { openstackAjv } from '../../core/http/lazy-validator.js';
import { jsonschemaMessage } from '../../core/http/jsonschema-wording.js';
import { BadRequest } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { lazy } from '../../core/lazy.js';

export const MAPPING_SCHEMA_VERSIONS = ['1.0', '2.0', '3.0'] as const;
/** keystone.conf [federation] attribute_mapping_default_schema_version. */
export const DEFAULT_MAPPING_SCHEMA_VERSION = '1.0';

const domain = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, additionalProperties: false };
const roles = {
  type: 'array',
  items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false },
};
const remoteTest = (key: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', key],
  properties: { type: { type: 'string' }, [key]: { type: 'array' }, regex: { type: 'boolean' } },
});

function schemaFor(version: string): object {
  const projectProperties: Record<string, object> = { name: { type: 'string' }, roles };
  if (version !== '1.0') projectProperties.domain = domain;
  const localProperties: Record<string, object> = {
    user: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        domain,
        type: { type: 'string', enum: ['ephemeral', 'local'] },
      },
      additionalProperties: false,
    },
    projects: { type: 'array', items: { type: 'object', required: ['name', 'roles'], additionalProperties: false, properties: projectProperties } },
    group: {
      type: 'object',
      oneOf: [
        { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false, required: ['id'] },
        { type: 'object', properties: { name: { type: 'string' }, domain }, additionalProperties: false, required: ['name', 'domain'] },
      ],
    },
    groups: { type: 'string' },
    group_ids: { type: 'string' },
    domain,
  };
  if (version === '3.0') localProperties.projects_json = { type: 'string' };
  return {
    type: 'object',
    required: ['rules'],
    properties: {
      rules: {
        minItems: 1,
        type: 'array',
        items: {
          type: 'object',
          required: ['local', 'remote'],
          additionalProperties: false,
          properties: {
            local: { type: 'array', items: { type: 'object', additionalProperties: false, properties: localProperties } },
            remote: {
              minItems: 1,
              type: 'array',
              items: {
                type: 'object',
                oneOf: [
                  { type: 'object', required: ['type'], properties: { type: { type: 'string' } }, additionalProperties: false },
                  remoteTest('any_one_of'),
                  remoteTest('not_any_of'),
                  remoteTest('blacklist'),
                  remoteTest('whitelist'),
                ],
              },
            },
          },
        },
      },
      schema_version: { type: 'string' },
    },
  };
}

const validators = lazy(() => new Map(MAPPING_SCHEMA_VERSIONS.map((version) => [version, openstackAjv.compile(schemaFor(version))])));

/** Checks a mapping body (`rules`, optional `schema_version`); returns its schema version. */
export function validateMapping(mapping: JsonObject): string {
  const version = typeof mapping.schema_version === 'string' ? mapping.schema_version : DEFAULT_MAPPING_SCHEMA_VERSION;
  const validate = validators().get(version as (typeof MAPPING_SCHEMA_VERSIONS)[number]);
  if (!validate)
    throw new BadRequest(`The attribute mapping schema version ${version} is not supported. Supported versions: ${MAPPING_SCHEMA_VERSIONS.join(', ')}.`);
  if (!validate(mapping)) {
    const errors = (validate.errors ?? []) as ErrorObject[];
    throw new BadRequest(errors.map((e) => jsonschemaMessage({ ...e, message: e.message ?? '' })).join('\n'));
  }
  return version;
}
