/**
 * QoS rules, under their policy (`/qos/policies/{id}/<type>_rules`) and by
 * id alone (`/qos/alias_<type>_rules/{id}`, qos-rules-alias), and the rule
 * types the driver enforces (`/qos/rule-types`, with each type's supported
 * parameters: qos-rule-type-details). Rules are written with their policy's
 * row locked, so two requests cannot add conflicting rules; each change is
 * enforced on the ports the policy applies to.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { qosErrors } from '../errors.js';
import * as store from '../store/index.js';
import { targetOf } from './access.js';
import type { NetworkDeps } from './deps.js';
import type { NeutronObject } from './objects.js';
import type { QosEnforcement } from './qos-enforcement.js';
import type { QosPolicy, QosPolicyOps } from './qos-policies.js';
import { duplicates, ruleParameters, ruleView, type QosRule, type QosRuleAttrs, type QosRuleType } from './qos-rule-types.js';

export class QosRuleOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly policies: QosPolicyOps,
    private readonly enforcement: QosEnforcement,
  ) {}

  async create(auth: CallerContext, type: QosRuleType, policyId: string, body: unknown): Promise<NeutronObject> {
    const policy = await this.policies.getVisible(auth, policyId);
    this.deps.access.authorize(auth, `create_policy_${type}_rule`, targetOf(policy));
    const attrs = ruleParameters(type, body, null);
    const rule = await this.deps.db.transaction().execute(async (trx) => {
      await store.lockResource(trx, 'qos_policy', policyId);
      checkConflicts(policy, attrs, null, await store.listResources<QosRuleAttrs>(trx, 'qos_rule', { parentId: policyId }));
      return store.insertResource<QosRuleAttrs>(trx, { id: uuid(), kind: 'qos_rule', projectId: policy.projectId, parentId: policyId, name: '', attrs });
    });
    await this.#enforce(policyId, rule.id);
    return ruleView(rule);
  }

  async get(auth: CallerContext, type: QosRuleType, policyId: string | null, ruleId: string): Promise<NeutronObject> {
    return ruleView(await this.#rule(auth, type, policyId, ruleId, 'get'));
  }

  async list(auth: CallerContext, type: QosRuleType, policyId: string): Promise<NeutronObject[]> {
    const policy = await this.policies.getVisible(auth, policyId);
    if (!this.deps.access.allowed(auth, `get_policy_${type}_rule`, targetOf(policy))) return [];
    const rules = await store.listResources<QosRuleAttrs>(this.deps.db, 'qos_rule', { parentId: policyId });
    return rules.filter((r) => r.attrs.type === type).map(ruleView);
  }

  async update(auth: CallerContext, type: QosRuleType, policyId: string | null, ruleId: string, body: unknown): Promise<NeutronObject> {
    const rule = await this.#rule(auth, type, policyId, ruleId, 'update');
    const attrs = ruleParameters(type, body, rule.attrs);
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      await store.lockResource(trx, 'qos_policy', rule.parentId ?? '');
      const policy = await this.policies.getVisible(auth, rule.parentId ?? '', trx);
      checkConflicts(policy, attrs, ruleId, await store.listResources<QosRuleAttrs>(trx, 'qos_rule', { parentId: policy.id }));
      return store.saveResource(trx, { ...rule, attrs });
    });
    await this.#enforce(rule.parentId ?? '', ruleId);
    return ruleView(updated);
  }

  async delete(auth: CallerContext, type: QosRuleType, policyId: string | null, ruleId: string): Promise<void> {
    const rule = await this.#rule(auth, type, policyId, ruleId, 'delete');
    await store.deleteResource(this.deps.db, ruleId);
    await this.enforcement.reapply({ policyIds: [rule.parentId ?? ''] });
  }

  /** `GET /qos/rule-types`: the types the driver enforces (an admin's view, as Neutron's policy). */
  ruleTypes(auth: CallerContext): NeutronObject[] {
    if (!this.deps.access.allowed(auth, 'get_rule_type', {})) return [];
    return Object.keys(this.deps.driver.qosRuleTypes()).map((type) => ({ id: type, type }));
  }

  /** `GET /qos/rule-types/{type}`: the driver and the parameters it supports. */
  ruleType(auth: CallerContext, type: string): Record<string, unknown> {
    const parameters = this.deps.driver.qosRuleTypes()[type];
    if (!parameters || !this.deps.access.allowed(auth, 'get_rule_type', {})) throw qosErrors.ruleTypeNotFound(type);
    return { type, drivers: [{ name: this.deps.driver.name, supported_parameters: parameters }] };
  }

  /** Undoes a rule the policy's ports cannot enforce (Neutron validates the policy for its ports before keeping it). */
  async #enforce(policyId: string, ruleId: string): Promise<void> {
    try {
      await this.enforcement.checkSupported(policyId);
    } catch (error) {
      await store.deleteResource(this.deps.db, ruleId);
      throw error;
    }
    await this.enforcement.reapply({ policyIds: [policyId] });
  }

  /** The rule of `type` (under `policyId` when the path names one) the caller may act on, or QosRuleNotFound. */
  async #rule(auth: CallerContext, type: QosRuleType, policyId: string | null, ruleId: string, action: string): Promise<QosRule> {
    const rule = await store.getResource<QosRuleAttrs>(this.deps.db, 'qos_rule', ruleId);
    const parent = policyId ?? rule?.parentId ?? '';
    const policy = await this.policies.getVisible(auth, parent);
    if (!rule || rule.parentId !== policy.id || rule.attrs.type !== type) throw qosErrors.ruleNotFound(ruleId, policy.id);
    this.deps.access.authorize(auth, `${action}_policy_${type}_rule`, targetOf(policy));
    return rule;
  }
}

/**
 * Neutron's checks of a policy's rules: one rule per type and direction
 * (QoSRulesConflict), and a minimum bandwidth never above the same
 * direction's limit (QoSRuleParameterConflict).
 */
function checkConflicts(policy: QosPolicy, rule: QosRuleAttrs, ruleId: string | null, existing: QosRule[]): void {
  const others = existing.filter((r) => r.id !== ruleId);
  const twin = others.find((r) => duplicates(r.attrs, rule));
  if (twin) throw qosErrors.rulesConflict(rule.type, twin.id, policy.id);
  for (const other of others.filter((r) => r.attrs.direction === rule.direction)) {
    const [minimum, limit] = rule.type === 'minimum_bandwidth' ? [rule, other.attrs] : [other.attrs, rule];
    if (minimum.type !== 'minimum_bandwidth' || limit.type !== 'bandwidth_limit') continue;
    if ((minimum.min_kbps ?? 0) > (limit.max_kbps ?? 0)) {
      const [value, existingRule, existingValue] =
        rule.type === 'minimum_bandwidth'
          ? [rule.min_kbps ?? 0, 'bandwidth_limit', limit.max_kbps ?? 0]
          : [rule.max_kbps ?? 0, 'minimum_bandwidth', minimum.min_kbps ?? 0];
      throw qosErrors.ruleParameterConflict(value, policy.id, existingRule, existingValue);
    }
  }
}
