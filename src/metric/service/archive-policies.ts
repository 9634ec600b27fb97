/** Archive policies and their rules: CRUD with Gnocchi's checks, the rule lookup for new metrics, first-start defaults. */
import type { CallerContext } from '../../core/context.js';
import type { Json } from '../../core/json.js';
import { DescribedError, errors, invalidInput, notFound } from '../errors.js';
import * as store from '../store/policies.js';
import type { RuleRecord } from '../store/policies.js';
import type { MetricDb } from '../store/tables.js';
import type { ArchivePolicy } from '../timeseries/types.js';
import { DEFAULT_RULE, defaultArchivePolicies, isValidMethodValue, parseDefinition, patternMatcher, resolvePolicy } from './archive-policy-model.js';
import { enforce, type IndexDeps } from './deps.js';
import { checkKeys, coerceInt, expectObject, expectString, invalidValue } from './validate.js';

export type { RuleRecord } from '../store/policies.js';

export function archivePolicyService(deps: IndexDeps) {
  const resolve = (stored: Parameters<typeof resolvePolicy>[0]) => resolvePolicy(stored, deps.config.default_aggregation_methods);

  async function get(name: string): Promise<ArchivePolicy | null> {
    const stored = await store.findPolicy(deps.db, name);
    return stored ? resolve(stored) : null;
  }

  return {
    get,

    async list(caller: CallerContext): Promise<ArchivePolicy[]> {
      enforce(deps, caller, 'list archive policy', {});
      return (await store.listPolicies(deps.db)).map(resolve);
    },

    async show(caller: CallerContext, name: string): Promise<ArchivePolicy> {
      const policy = await get(name);
      if (!policy) throw notFound.archivePolicy(name);
      enforce(deps, caller, 'get archive policy', { name });
      return policy;
    },

    async create(caller: CallerContext, raw: Json | undefined): Promise<ArchivePolicy> {
      enforce(deps, caller, 'create archive policy', {});
      const body = expectObject(raw);
      checkKeys(body, ['name', 'back_window', 'aggregation_methods', 'definition'], ['name', 'definition']);
      const name = expectString(body.name, ['name']);
      const backWindow = body.back_window === undefined ? 0 : coerceInt(body.back_window, ['back_window']);
      if (backWindow < 0) invalidValue('value must be at least 0', ['back_window']);
      let methods = [...deps.config.default_aggregation_methods];
      if (body.aggregation_methods !== undefined) {
        if (!Array.isArray(body.aggregation_methods)) invalidValue('expected list', ['aggregation_methods']);
        methods = (body.aggregation_methods as Json[]).map((method, index) => {
          if (typeof method !== 'string' || !isValidMethodValue(method)) throw invalidInput('not a valid value', ['aggregation_methods', index]);
          return method;
        });
      }
      const definition = parseDefinition(body.definition);
      const stored = { name, backWindow, definition, methodEntries: methods };
      if (!(await store.insertPolicy(deps.db, stored))) throw errors.archivePolicyExists(name);
      return resolve(stored);
    },

    /** Gnocchi changes only the definition (and back window): granularities stay, their points or timespans change. */
    async update(caller: CallerContext, name: string, raw: Json | undefined): Promise<ArchivePolicy> {
      const current = await store.findPolicy(deps.db, name);
      if (!current) throw notFound.archivePolicy(name);
      enforce(deps, caller, 'update archive policy', { name });
      const body = expectObject(raw);
      checkKeys(body, ['definition', 'back_window'], ['definition']);
      let backWindow = current.backWindow;
      if (body.back_window !== undefined) {
        backWindow = coerceInt(body.back_window, ['back_window']);
        if (backWindow < 0) invalidValue('value must be at least 0', ['back_window']);
      }
      const definition = parseDefinition(body.definition);
      const before = current.definition.map((d) => d.granularity).sort((a, b) => a - b);
      const after = definition.map((d) => d.granularity).sort((a, b) => a - b);
      if (before.length !== after.length || before.some((g, i) => g !== after[i])) {
        throw errors.archivePolicyChange(name, 'Cannot add or drop granularities');
      }
      await store.updatePolicy(deps.db, name, definition, backWindow);
      return resolve({ ...current, definition, backWindow });
    },

    async remove(caller: CallerContext, name: string): Promise<void> {
      enforce(deps, caller, 'delete archive policy', {});
      await deps.db.transaction().execute(async (trx) => {
        if (!(await store.findPolicy(trx, name))) throw notFound.archivePolicy(name);
        if (await store.policyInUse(trx, name)) throw errors.archivePolicyInUse(name);
        await store.deletePolicy(trx, name);
      });
    },

    async listRules(caller: CallerContext): Promise<RuleRecord[]> {
      enforce(deps, caller, 'list archive policy rule', {});
      return store.listRules(deps.db);
    },

    async showRule(caller: CallerContext, name: string): Promise<RuleRecord> {
      const rule = await store.findRule(deps.db, name);
      if (!rule) throw notFound.archivePolicyRule(name);
      enforce(deps, caller, 'get archive policy rule', { ...ruleTarget(rule) });
      return rule;
    },

    async createRule(caller: CallerContext, raw: Json | undefined): Promise<RuleRecord> {
      enforce(deps, caller, 'create archive policy rule', {});
      const body = expectObject(raw);
      checkKeys(body, ['name', 'metric_pattern', 'archive_policy_name'], ['name', 'metric_pattern', 'archive_policy_name']);
      const rule = {
        name: expectString(body.name, ['name']),
        metricPattern: expectString(body.metric_pattern, ['metric_pattern']),
        archivePolicyName: expectString(body.archive_policy_name, ['archive_policy_name']),
      };
      if (!(await store.findPolicy(deps.db, rule.archivePolicyName))) {
        throw new DescribedError(400, { cause: 'Archive policy does not exist', detail: rule.archivePolicyName });
      }
      if (!(await store.insertRule(deps.db, rule))) throw errors.ruleExists(rule.name);
      return rule;
    },

    /** Only the name changes (Gnocchi's rule PATCH). */
    async renameRule(caller: CallerContext, name: string, raw: Json | undefined): Promise<RuleRecord> {
      const rule = await store.findRule(deps.db, name);
      if (!rule) throw notFound.archivePolicyRule(name);
      const body = expectObject(raw);
      checkKeys(body, ['name'], ['name']);
      const newName = expectString(body.name, ['name']);
      enforce(deps, caller, 'update archive policy rule', {});
      if (newName !== name) {
        if (await store.findRule(deps.db, newName))
          throw errors.badRequest(`Archive policy rule ${name} does not support change: rule ${newName} already exists`);
        await store.renameRule(deps.db, name, newName);
      }
      return { ...rule, name: newName };
    },

    async removeRule(caller: CallerContext, name: string): Promise<void> {
      if (!(await store.findRule(deps.db, name))) throw notFound.archivePolicyRule(name);
      enforce(deps, caller, 'delete archive policy rule', {});
      if (!(await store.deleteRule(deps.db, name))) throw notFound.archivePolicyRule(name);
    },

    /** The policy the longest matching rule names; null when no rule matches. */
    async policyForMetricName(metricName: string | null, db: MetricDb = deps.db): Promise<string | null> {
      const rules = (await store.listRules(db)).sort((a, b) => b.metricPattern.length - a.metricPattern.length);
      const match = rules.find((rule) => patternMatcher(rule.metricPattern).test(metricName ?? ''));
      return match?.archivePolicyName ?? null;
    },

    /** gnocchi-upgrade's and ceilometer-upgrade's policies and the default rule, when the index has none yet. */
    async ensureDefaults(): Promise<void> {
      const existing = await store.listPolicies(deps.db);
      if (existing.length > 0) return;
      for (const policy of defaultArchivePolicies(deps.config.default_aggregation_methods)) await store.insertPolicy(deps.db, policy);
      if ((await store.listRules(deps.db)).length === 0) await store.insertRule(deps.db, { ...DEFAULT_RULE });
    },
  };
}

function ruleTarget(rule: RuleRecord) {
  return { name: rule.name, metric_pattern: rule.metricPattern, archive_policy_name: rule.archivePolicyName };
}

export type ArchivePolicyService = ReturnType<typeof archivePolicyService>;
