/** Archive policies and archive policy rules. */
import type { ArchivePolicyItem } from '../timeseries/types.js';
import type { StoredArchivePolicy } from '../service/archive-policy-model.js';
import type { ArchivePolicyRow, MetricDb } from './tables.js';

export interface RuleRecord {
  name: string;
  metricPattern: string;
  archivePolicyName: string;
}

function policyFromRow(row: ArchivePolicyRow): StoredArchivePolicy {
  return {
    name: row.name,
    backWindow: row.back_window,
    definition: JSON.parse(row.definition) as ArchivePolicyItem[],
    methodEntries: JSON.parse(row.aggregation_methods) as string[],
  };
}

export async function listPolicies(db: MetricDb): Promise<StoredArchivePolicy[]> {
  const rows = await db.selectFrom('gnocchi_archive_policy').selectAll().orderBy('name').execute();
  return rows.map(policyFromRow);
}

export async function findPolicy(db: MetricDb, name: string): Promise<StoredArchivePolicy | null> {
  const row = await db.selectFrom('gnocchi_archive_policy').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? policyFromRow(row) : null;
}

/** False when the name is taken. */
export async function insertPolicy(db: MetricDb, policy: StoredArchivePolicy): Promise<boolean> {
  const result = await db
    .insertInto('gnocchi_archive_policy')
    .values({
      name: policy.name,
      back_window: policy.backWindow,
      definition: JSON.stringify(policy.definition),
      aggregation_methods: JSON.stringify(policy.methodEntries),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updatePolicy(db: MetricDb, name: string, definition: ArchivePolicyItem[], backWindow: number): Promise<void> {
  await db
    .updateTable('gnocchi_archive_policy')
    .set({ definition: JSON.stringify(definition), back_window: backWindow })
    .where('name', '=', name)
    .execute();
}

/** Whether a metric or a rule still names the policy. */
export async function policyInUse(db: MetricDb, name: string): Promise<boolean> {
  const metric = await db.selectFrom('gnocchi_metric').select('id').where('archive_policy_name', '=', name).limit(1).executeTakeFirst();
  if (metric) return true;
  const rule = await db.selectFrom('gnocchi_archive_policy_rule').select('name').where('archive_policy_name', '=', name).limit(1).executeTakeFirst();
  return rule !== undefined;
}

export async function deletePolicy(db: MetricDb, name: string): Promise<boolean> {
  const result = await db.deleteFrom('gnocchi_archive_policy').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

const ruleColumns = ['name', 'metric_pattern as metricPattern', 'archive_policy_name as archivePolicyName'] as const;

export async function listRules(db: MetricDb): Promise<RuleRecord[]> {
  return db.selectFrom('gnocchi_archive_policy_rule').select(ruleColumns).orderBy('name').execute();
}

export async function findRule(db: MetricDb, name: string): Promise<RuleRecord | null> {
  return (await db.selectFrom('gnocchi_archive_policy_rule').select(ruleColumns).where('name', '=', name).executeTakeFirst()) ?? null;
}

export async function insertRule(db: MetricDb, rule: RuleRecord): Promise<boolean> {
  const result = await db
    .insertInto('gnocchi_archive_policy_rule')
    .values({ name: rule.name, metric_pattern: rule.metricPattern, archive_policy_name: rule.archivePolicyName })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function renameRule(db: MetricDb, name: string, newName: string): Promise<void> {
  await db.updateTable('gnocchi_archive_policy_rule').set({ name: newName }).where('name', '=', name).execute();
}

export async function deleteRule(db: MetricDb, name: string): Promise<boolean> {
  const result = await db.deleteFrom('gnocchi_archive_policy_rule').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
