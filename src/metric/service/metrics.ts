/** Metrics: created alone or with a resource, the archive policy named or found by the rules, listed, shown, deleted with their series. */
import type { CallerContext } from '../../core/context.js';
import type { Json, JsonObject } from '../../core/json.js';
import { uuid } from '../../core/ids.js';
import { DescribedError, errors, invalidInput, notFound } from '../errors.js';
import * as store from '../store/metrics.js';
import type { MetricRow } from '../store/metrics.js';
import { findPolicy } from '../store/policies.js';
import { currentResource } from '../store/resources.js';
import type { MetricDb } from '../store/tables.js';
import type { MetricRecord } from '../types.js';
import type { ArchivePolicyService } from './archive-policies.js';
import { creatorOf, creatorParts, decisionsPerOwner, enforce, projectRestriction, type IndexDeps } from './deps.js';
import { resourceUuid } from './resource-ids.js';
import { checkKeys, expectObject, optionalString, type Path } from './validate.js';

/** The record of a row; with `resourceProjectId` when the look-up read the resource's project too. */
export function metricRecord(row: MetricRow, resourceProjectId?: string | null): MetricRecord {
  const creator = creatorParts(row.creator);
  return {
    ...(resourceProjectId !== undefined && { resourceProjectId }),
    id: row.id,
    name: row.name,
    unit: row.unit,
    resourceId: row.resource_id,
    archivePolicyName: row.archive_policy_name,
    creator: row.creator,
    createdByUserId: creator.userId,
    createdByProjectId: creator.projectId,
  };
}

/** The row a record was read from. */
export function metricRow(record: MetricRecord): MetricRow {
  return {
    id: record.id,
    name: record.name,
    unit: record.unit,
    resource_id: record.resourceId,
    archive_policy_name: record.archivePolicyName,
    creator: record.creator,
  };
}

/** A metric definition from a body (`{archive_policy_name, unit, name, resource_id}` as allowed here). */
export interface MetricDefinition {
  name: string | null;
  unit: string | null;
  archivePolicyName: string | null;
}

export function parseMetricDefinition(raw: Json | undefined, path: Path, allowed: readonly string[]): MetricDefinition & { resourceId?: string | null } {
  const body = expectObject(raw, path);
  checkKeys(body, allowed, [], path);
  const unit = optionalString(body.unit, [...path, 'unit']) ?? null;
  if (unit !== null && unit.length > 31) throw invalidInput('length of value must be at most 31 for dictionary value', [...path, 'unit']);
  const name = optionalString(body.name, [...path, 'name']) ?? null;
  if (name !== null && name.includes('/')) throw errors.slashInMetricName();
  return {
    name,
    unit,
    archivePolicyName: optionalString(body.archive_policy_name, [...path, 'archive_policy_name']) ?? null,
    resourceId: optionalString(body.resource_id, [...path, 'resource_id']),
  };
}

export function metricService(deps: IndexDeps, policies: ArchivePolicyService) {
  /** A new metric's row: the named policy (400 when absent) or the rules' choice (400 when none matches). */
  async function newMetric(db: MetricDb, caller: CallerContext, definition: MetricDefinition, resourceId: string | null): Promise<MetricRow> {
    let policyName = definition.archivePolicyName;
    if (policyName === null) {
      // Inside the caller's transaction: SQLite's one connection is held by it.
      policyName = await policies.policyForMetricName(definition.name, db);
      if (policyName === null) throw errors.noRuleMatch(definition.name);
    } else if (!(await findPolicy(db, policyName))) {
      throw errors.archivePolicyUnknown(policyName);
    }
    const row: MetricRow = {
      id: uuid(),
      name: definition.name,
      unit: definition.unit,
      resource_id: resourceId,
      archive_policy_name: policyName,
      creator: creatorOf(caller),
    };
    await store.insertMetric(db, row);
    return row;
  }

  function target(row: MetricRow, resourceProject: string | null): JsonObject {
    const record = metricRecord(row);
    return {
      id: row.id,
      creator: row.creator,
      created_by_user_id: record.createdByUserId,
      created_by_project_id: record.createdByProjectId,
      name: row.name,
      resource_id: row.resource_id,
      archive_policy_name: row.archive_policy_name,
      resource: { project_id: resourceProject },
    };
  }

  async function resourceProjectOf(row: MetricRow): Promise<string | null> {
    if (row.resource_id === null) return null;
    return (await currentResource(deps.db, row.resource_id, null))?.project_id ?? null;
  }

  /** The metric when the caller may `rule` it; 404 when absent, 403 when hidden. */
  async function visible(caller: CallerContext, id: string, rule: string): Promise<MetricRow> {
    const row = await store.findMetric(deps.db, id.toLowerCase());
    if (!row) throw notFound.metric(id);
    enforce(deps, caller, rule, target(row, await resourceProjectOf(row)));
    return row;
  }

  /** The fields of a metric's policy target that are its own, not its owner's. */
  const OWN_FIELDS = ['id', 'name', 'resource_id'];

  return {
    /** Many metrics the caller may `rule`, keyed by lower-case id (absent and hidden ones left out): one query, a decision per owner. */
    async visibleMany(caller: CallerContext, ids: readonly string[], rule: string): Promise<Map<string, MetricRecord>> {
      const decide = decisionsPerOwner(deps, caller, rule, OWN_FIELDS);
      const found = new Map<string, MetricRecord>();
      for (const row of await store.findMetricsWithResourceProject(deps.db, [...new Set(ids.map((id) => id.toLowerCase()))]))
        if (decide(target(row, row.resource_project_id))) found.set(row.id, metricRecord(row, row.resource_project_id));
      return found;
    },

    /** Many metrics already looked up, all under `rule` (403 if any is refused), decided once per owner. */
    async enforceAll(caller: CallerContext, records: readonly MetricRecord[], rule: string): Promise<void> {
      const decide = decisionsPerOwner(deps, caller, rule, OWN_FIELDS);
      for (const record of records) {
        const row = metricRow(record);
        const project = record.resourceProjectId !== undefined ? record.resourceProjectId : await resourceProjectOf(row);
        if (!decide(target(row, project))) throw errors.forbidden();
      }
    },

    /** The metrics a resource names, as rows. */
    async ofResource(record: { metrics: Record<string, string> }): Promise<MetricRow[]> {
      const rows = [];
      for (const id of Object.values(record.metrics)) {
        const row = await store.findMetric(deps.db, id);
        if (row) rows.push(row);
      }
      return rows;
    },
    newMetric,
    visible,
    target,
    resourceProjectOf,

    async create(caller: CallerContext, raw: Json | undefined): Promise<MetricRow> {
      const definition = parseMetricDefinition(raw, [], ['archive_policy_name', 'resource_id', 'name', 'unit']);
      let resourceId: string | null = null;
      if (definition.resourceId !== undefined && definition.resourceId !== null) {
        resourceId = resourceUuid(definition.resourceId, creatorOf(caller));
        if (resourceId === null) throw invalidInput("'/' is not supported in resource id for dictionary value", ['resource_id']);
        if (definition.name === null)
          throw new DescribedError(400, { cause: 'Attribute value error', detail: 'name', reason: 'Name cannot be null if resource_id is not null' });
      }
      enforce(deps, caller, 'create metric', {
        creator: creatorOf(caller),
        archive_policy_name: definition.archivePolicyName,
        resource_id: resourceId,
        name: definition.name,
      });
      return deps.db.transaction().execute(async (trx) => {
        if (resourceId !== null) {
          if (!(await currentResource(trx, resourceId, null))) throw errors.badRequest(`Resource ${resourceId} does not exist`);
          if (await store.findResourceMetric(trx, resourceId, definition.name as string))
            throw errors.badRequest(`Named metric ${definition.name} already exists`);
        }
        return newMetric(trx, caller, definition, resourceId);
      });
    },

    async list(caller: CallerContext, query: Omit<store.MetricListQuery, 'visibleToProject'>): Promise<MetricRow[]> {
      const restriction = projectRestriction(deps, caller, 'list metric');
      return store.listMetrics(deps.db, { ...query, visibleToProject: restriction?.project ?? null });
    },

    async remove(caller: CallerContext, id: string): Promise<void> {
      const row = await visible(caller, id, 'delete metric');
      if (!(await store.deleteMetric(deps.db, row.id))) throw notFound.metric(id);
      await deps.engine()?.delete(row.id);
    },
  };
}

export type MetricService = ReturnType<typeof metricService>;
