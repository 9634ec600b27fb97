/** The index's tables as Kysely sees them (see migrations/0001-initial.ts). */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/database.js';

export interface ArchivePolicyRow {
  name: string;
  back_window: number;
  definition: string;
  aggregation_methods: string;
}

export interface ArchivePolicyRuleRow {
  name: string;
  metric_pattern: string;
  archive_policy_name: string;
}

export interface ResourceTypeRow {
  name: string;
  state: string;
  attributes: string;
}

export interface ResourceRow {
  revision: Generated<number>;
  id: string;
  type: string;
  original_resource_id: string;
  project_id: string | null;
  user_id: string | null;
  creator: string;
  started_at: string;
  ended_at: string | null;
  revision_start: string;
  revision_end: string | null;
  attributes: string;
}

export interface MetricRow {
  id: string;
  name: string | null;
  unit: string | null;
  resource_id: string | null;
  archive_policy_name: string;
  creator: string;
}

export type MetricTables = {
  gnocchi_archive_policy: ArchivePolicyRow;
  gnocchi_archive_policy_rule: ArchivePolicyRuleRow;
  gnocchi_resource_type: ResourceTypeRow;
  gnocchi_resource: ResourceRow;
  gnocchi_metric: MetricRow;
};

export type MetricDb = Kysely<MetricTables> | Transaction<MetricTables>;

export function metricDb(db: Database): Kysely<MetricTables> {
  return db.kysely.withTables<MetricTables>();
}
