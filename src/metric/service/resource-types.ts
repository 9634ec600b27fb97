/** Resource types: `generic` and Ceilometer's types at first start, CRUD, JSON-patch updates of the attributes. */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { errors, invalidInput, notFound } from '../errors.js';
import { rewriteAttributes } from '../store/resources.js';
import * as store from '../store/resource-types.js';
import type { ResourceTypeRecord } from '../store/resource-types.js';
import { parseAttributeSchema } from './attributes.js';
import { CEILOMETER_RESOURCE_TYPES } from './ceilometer-types.js';
import { enforce, type IndexDeps } from './deps.js';
import { checkKeys, expectObject, expectString } from './validate.js';

export type { ResourceTypeRecord } from '../store/resource-types.js';

const NAME = /^[a-zA-Z0-9_-]+$/;

export function resourceTypeService(deps: IndexDeps) {
  async function get(name: string): Promise<ResourceTypeRecord> {
    const type = await store.findResourceType(deps.db, name);
    if (!type) throw notFound.resourceType(name);
    return type;
  }

  return {
    get,

    async list(caller: CallerContext): Promise<ResourceTypeRecord[]> {
      enforce(deps, caller, 'list resource type', {});
      return store.listResourceTypes(deps.db);
    },

    async show(caller: CallerContext, name: string): Promise<ResourceTypeRecord> {
      const type = await get(name);
      enforce(deps, caller, 'get resource type', { name });
      return type;
    },

    async create(caller: CallerContext, raw: Json | undefined): Promise<ResourceTypeRecord> {
      const body = expectObject(raw);
      checkKeys(body, ['name', 'attributes'], ['name']);
      const name = expectString(body.name, ['name']);
      if (name.length > 255 || !NAME.test(name)) throw invalidInput('does not match regular expression', ['name']);
      const given = body.attributes === undefined ? {} : expectObject(body.attributes, ['attributes']);
      const attributes: Record<string, JsonObject> = {};
      for (const [attribute, schema] of Object.entries(given)) attributes[attribute] = parseAttributeSchema(attribute, schema).schema;
      enforce(deps, caller, 'create resource type', { name, state: 'creating' });
      const type = { name, state: 'active', attributes };
      if (!(await store.insertResourceType(deps.db, type))) throw errors.resourceTypeExists(name);
      return type;
    },

    /** A JSON patch (`add`/`remove` under /attributes); existing resources get an added attribute's fill. */
    async update(caller: CallerContext, name: string, raw: Json | undefined): Promise<ResourceTypeRecord> {
      const type = await get(name);
      enforce(deps, caller, 'update resource type', { name });
      if (!Array.isArray(raw)) throw invalidInput('expected a list');
      const attributes = { ...type.attributes };
      const fills: Record<string, Json> = {};
      const removed: string[] = [];
      raw.forEach((operation, index) => {
        if (!isJsonObject(operation)) throw invalidInput('expected a dictionary', [index]);
        checkKeys(operation, ['op', 'path', 'value'], ['op', 'path'], [index]);
        const op = operation.op;
        if (op !== 'add' && op !== 'remove') throw invalidInput('not a valid value', [index, 'op']);
        const path = expectString(operation.path, [index, 'path']);
        if (!path.startsWith('/attributes')) throw invalidInput('Only attributes can be modified', [index, 'path']);
        const attribute = path.slice('/attributes/'.length).replaceAll('~1', '/').replaceAll('~0', '~');
        if (op === 'remove') {
          if (!(attribute in attributes)) throw errors.badRequest(`can't remove a non-existent object '${attribute}'`);
          delete attributes[attribute];
          removed.push(attribute);
          return;
        }
        const parsed = parseAttributeSchema(attribute, operation.value ?? null);
        const previous = attributes[attribute];
        if (previous && previous.type !== parsed.schema.type) {
          throw errors.badRequest(
            `Type update is not available yet. Changing ${String(previous.type)} to ${String(parsed.schema.type)} for attribute ${attribute} of resource ${name}`,
          );
        }
        if (!previous && parsed.schema.required === true && parsed.fill === undefined) {
          throw errors.badRequest(`Invalid input: Option 'fill' of resource attribute ${attribute} is invalid: must not be empty if required=True`);
        }
        attributes[attribute] = parsed.schema;
        if (!previous) fills[attribute] = parsed.fill ?? null;
      });
      await deps.db.transaction().execute(async (trx) => {
        await store.updateResourceTypeAttributes(trx, name, attributes);
        if (removed.length > 0 || Object.keys(fills).length > 0) {
          await rewriteAttributes(trx, name, (values) => {
            for (const attribute of removed) delete values[attribute];
            for (const [attribute, fill] of Object.entries(fills)) values[attribute] ??= fill;
          });
        }
      });
      return { ...type, attributes };
    },

    async remove(caller: CallerContext, name: string): Promise<void> {
      await get(name);
      enforce(deps, caller, 'delete resource type', { name });
      if (name === 'generic') throw errors.badRequest('Resource type generic cannot be deleted');
      await deps.db.transaction().execute(async (trx) => {
        if (await store.resourceTypeInUse(trx, name)) throw errors.resourceTypeInUse(name);
        await store.deleteResourceType(trx, name);
      });
    },

    /** `generic` and the types ceilometer-upgrade creates, each once. */
    async ensureDefaults(): Promise<void> {
      await store.insertResourceType(deps.db, { name: 'generic', state: 'active', attributes: {} });
      for (const [name, attributes] of Object.entries(CEILOMETER_RESOURCE_TYPES)) {
        await store.insertResourceType(deps.db, { name, state: 'active', attributes });
      }
    },
  };
}

export type ResourceTypeService = ReturnType<typeof resourceTypeService>;
