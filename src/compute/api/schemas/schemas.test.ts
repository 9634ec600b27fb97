import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifySchemaValidationError } from 'fastify';
import { lazyValidatorCompiler } from '../../../core/http/lazy-validator.js';
import { novaSchemaError } from '../schema.js';
import * as aggregates from './aggregates.js';
import * as flavors from './flavors.js';
import * as keypairs from './keypairs.js';
import * as quotas from './quotas.js';
import * as serverGroups from './server-groups.js';
import * as metadataTags from './server-metadata-tags.js';
import * as serverMigrations from './server-migrations.js';
import * as servers from './servers.js';
import * as volumeAttachments from './volume-attachments.js';

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

function compile(schema: unknown): Validate {
  return lazyValidatorCompiler({ schema: schema as object, method: 'POST', url: '/', httpPart: 'body' }) as Validate;
}

test("every compute body schema compiles with core's validator (strict Ajv)", () => {
  let count = 0;
  for (const module of [aggregates, flavors, keypairs, quotas, serverGroups, metadataTags, serverMigrations, servers, volumeAttachments]) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'object' || value === null) continue;
      const schemas = Array.isArray(value) ? value.map((entry: { value: unknown }) => entry.value) : [value];
      for (const schema of schemas) {
        assert.doesNotThrow(() => compile(schema)({}), name);
        count += 1;
      }
    }
  }
  assert.ok(count > 15, `${count} schemas`);
});

test("a violation reads as Nova's ValidationError: last path element, the value as Python shows it, jsonschema's message", () => {
  const wording = (schema: unknown, body: unknown) => {
    const validate = compile(schema);
    assert.equal(validate(body), false);
    return novaSchemaError((validate.errors ?? [])[0] as FastifySchemaValidationError, 'body').message;
  };
  assert.equal(wording(aggregates.createAggregate, {}), "'aggregate' is a required property");
  assert.equal(
    wording(aggregates.createAggregate, { aggregate: { name: 'a', x: true } }),
    "Invalid input for field/attribute aggregate. Value: {'name': 'a', 'x': True}. Additional properties are not allowed ('x' was unexpected)",
  );
  assert.equal(wording(metadataTags.replaceTags, { tags: [''] }), "Invalid input for field/attribute 0. Value: . '' is too short");
  assert.equal(
    wording(serverMigrations.forceComplete, { force_complete: 1 }),
    "Invalid input for field/attribute force_complete. Value: 1. 1 is not of type 'null'",
  );
});
