/** Creating, patching (a new revision when anything but metrics changes) and deleting resources; their metrics. */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { errors, invalidInput, notFound } from '../errors.js';
import * as metrics from '../store/metrics.js';
import * as store from '../store/resources.js';
import type { StoredResource } from '../store/resources.js';
import type { MetricDb } from '../store/tables.js';
import type { ResourceRecord } from '../types.js';
import { checkAttributeValue } from './attributes.js';
import { creatorOf, enforce, type IndexDeps } from './deps.js';
import { parseMetricDefinition, type MetricService } from './metrics.js';
import { asUuid, resourceUuid } from './resource-ids.js';
import { resourceRecords, resourceTarget } from './resource-records.js';
import type { ResourceTypeService } from './resource-types.js';
import { canonicalTime, nowCanonical } from './times.js';
import { checkKeys, expectObject, optionalString } from './validate.js';

const BASE_FIELDS = ['started_at', 'ended_at', 'user_id', 'project_id', 'metrics'];

/** `metrics` of a body: name → an existing metric's id, or a definition of a new one. */
type MetricsField = Record<string, string | { archivePolicyName: string | null; unit: string | null }>;

function parseMetricsField(raw: Json): MetricsField {
  const body = expectObject(raw, ['metrics']);
  const result: MetricsField = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') {
      const id = asUuid(value);
      if (id === null) throw invalidInput('not a valid value for dictionary value', ['metrics', name]);
      result[name] = id;
    } else {
      if (name.includes('/')) throw errors.slashInMetricName();
      const definition = parseMetricDefinition(isJsonObject(value) ? { ...value, name } : value, ['metrics', name], ['archive_policy_name', 'unit', 'name']);
      result[name] = { archivePolicyName: definition.archivePolicyName, unit: definition.unit };
    }
  }
  return result;
}

function timeField(value: Json | undefined, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const time = canonicalTime(value);
  if (time === null) throw invalidInput(`Unable to parse date ${JSON.stringify(value)} for dictionary value`, [field]);
  return time;
}

export function resourceWriteService(deps: IndexDeps, types: ResourceTypeService, metricService: MetricService) {
  /** Attaches or creates the named metrics of a resource (409 for a name already taken when `refuseTaken`). */
  async function applyMetrics(db: MetricDb, caller: CallerContext, resourceId: string, field: MetricsField, refuseTaken: boolean): Promise<void> {
    for (const [name, value] of Object.entries(field)) {
      const existing = await metrics.findResourceMetric(db, resourceId, name);
      if (existing && typeof value === 'string' && existing.id === value) continue;
      if (existing) {
        if (refuseTaken) throw errors.namedMetricExists(name);
        await metrics.deleteMetric(db, existing.id);
      }
      if (typeof value === 'string') {
        const metric = await metrics.findMetric(db, value);
        if (!metric) throw errors.unknownMetric(value);
        await metrics.attachMetric(db, value, resourceId, name);
      } else {
        await metricService.newMetric(db, caller, { name, ...value }, resourceId);
      }
    }
  }

  /** The type's attributes of a body, checked against its schema (`creating`: required ones must be there). */
  function typeAttributes(schema: Record<string, JsonObject>, body: JsonObject, creating: boolean, creator: string): JsonObject {
    const values: JsonObject = {};
    for (const [name, attribute] of Object.entries(schema)) {
      if (!(name in body)) {
        if (creating && attribute.required === true) throw invalidInput('required key not provided', [name]);
        if (creating) values[name] = null;
        continue;
      }
      values[name] = checkAttributeValue(name, attribute, body[name] ?? null, creator);
    }
    return values;
  }

  async function current(caller: CallerContext, type: string, id: string): Promise<StoredResource> {
    await types.get(type);
    const resourceId = resourceUuid(id, creatorOf(caller));
    const row = resourceId === null ? null : await store.currentResource(deps.db, resourceId, type === 'generic' ? null : type);
    if (!row) throw notFound.resource(resourceId ?? id);
    return row;
  }

  return {
    current,

    async create(caller: CallerContext, type: string, raw: Json | undefined): Promise<ResourceRecord> {
      const resourceType = await types.get(type);
      const body = expectObject(raw);
      const creator = creatorOf(caller);
      checkKeys(body, ['id', ...BASE_FIELDS, ...Object.keys(resourceType.attributes)], ['id']);
      const originalId = optionalString(body.id, ['id']);
      const id = originalId ? resourceUuid(originalId, creator) : null;
      if (!originalId || id === null) throw invalidInput("'/' is not supported in resource id for dictionary value", ['id']);
      const attributes = typeAttributes(resourceType.attributes, body, true, creator);
      const now = nowCanonical();
      const row: store.NewRevision = {
        id,
        type,
        original_resource_id: originalId,
        project_id: optionalString(body.project_id, ['project_id']) ?? null,
        user_id: optionalString(body.user_id, ['user_id']) ?? null,
        creator,
        started_at: timeField(body.started_at, 'started_at') ?? now,
        ended_at: timeField(body.ended_at, 'ended_at') ?? null,
        revision_start: now,
        revision_end: null,
        attributes: JSON.stringify(attributes),
      };
      if (row.ended_at !== null && row.ended_at < row.started_at) throw errors.badRequest('Start timestamp cannot be after end timestamp');
      const metricsField = body.metrics === undefined ? {} : parseMetricsField(body.metrics);
      enforce(deps, caller, 'create resource', { ...resourceTarget({ ...row, revision: 0 }), original_resource_id: originalId });
      const stored = await deps.db.transaction().execute(async (trx) => {
        if (await store.currentResource(trx, id, null)) throw errors.resourceExists(id);
        const inserted = await store.insertRevision(trx, row);
        await applyMetrics(trx, caller, id, metricsField, true);
        return inserted;
      });
      return (await resourceRecords(deps.db, [stored]))[0] as ResourceRecord;
    },

    async update(caller: CallerContext, type: string, id: string, raw: Json | undefined): Promise<ResourceRecord> {
      const resourceType = await types.get(type);
      const before = await current(caller, type, id);
      enforce(deps, caller, 'update resource', resourceTarget(before));
      const body = expectObject(raw);
      const attributesOfType = type === 'generic' ? {} : resourceType.attributes;
      checkKeys(body, [...BASE_FIELDS, ...Object.keys(attributesOfType)], []);
      const changes = typeAttributes(attributesOfType, body, false, before.creator);
      const next: store.NewRevision = {
        ...before,
        project_id: body.project_id === undefined ? before.project_id : (optionalString(body.project_id, ['project_id']) ?? null),
        user_id: body.user_id === undefined ? before.user_id : (optionalString(body.user_id, ['user_id']) ?? null),
        started_at: timeField(body.started_at, 'started_at') ?? before.started_at,
        ended_at: body.ended_at === undefined ? before.ended_at : (timeField(body.ended_at, 'ended_at') ?? null),
        attributes: JSON.stringify({ ...(JSON.parse(before.attributes) as JsonObject), ...changes }),
      };
      if (next.ended_at !== null && next.ended_at < next.started_at) throw errors.badRequest('Start timestamp cannot be after end timestamp');
      const metricsField = body.metrics === undefined ? null : parseMetricsField(body.metrics);
      const changed = (['project_id', 'user_id', 'started_at', 'ended_at', 'attributes'] as const).some((key) => next[key] !== before[key]);
      const stored = await deps.db.transaction().execute(async (trx) => {
        let row = before;
        if (changed) {
          const now = nowCanonical();
          await store.closeRevision(trx, before.revision, now);
          const { revision: _revision, ...fields } = next as StoredResource;
          row = await store.insertRevision(trx, { ...fields, revision_start: now, revision_end: null });
        }
        if (metricsField) await applyMetrics(trx, caller, before.id, metricsField, false);
        return row;
      });
      return (await resourceRecords(deps.db, [stored]))[0] as ResourceRecord;
    },

    /** Deletes resources with all their revisions and metrics (and the metrics' series). */
    async removeRows(rows: StoredResource[]): Promise<void> {
      const ids = rows.map((r) => r.id);
      const metricIds = await deps.db.transaction().execute(async (trx) => {
        const deleted = await metrics.deleteMetricsOfResources(trx, ids);
        await store.deleteResources(trx, ids);
        return deleted;
      });
      const engine = deps.engine();
      if (engine) for (const metricId of metricIds) await engine.delete(metricId);
    },

    /** `POST /v1/resource/{type}/{id}/metric`: adds named metrics; a name already there is a 409. */
    async addMetrics(caller: CallerContext, type: string, id: string, raw: Json | undefined): Promise<ResourceRecord> {
      const row = await current(caller, type, id);
      enforce(deps, caller, 'update resource', resourceTarget(row));
      const field = parseMetricsField(raw ?? null);
      await deps.db.transaction().execute((trx) => applyMetrics(trx, caller, row.id, field, true));
      return (await resourceRecords(deps.db, [row]))[0] as ResourceRecord;
    },
  };
}

export type ResourceWriteService = ReturnType<typeof resourceWriteService>;
