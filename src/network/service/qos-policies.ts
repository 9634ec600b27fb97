/**
 * QoS policies (Neutron's `qos`, `qos-default`, `qos-rules-alias` family):
 * an admin makes a policy, fills it with rules (qos-rules.ts) and attaches it
 * to a network (every port on it the network's services do not own) or to a
 * port (the port's own wins). A `shared` policy is readable and attachable
 * by every project; `is_default` marks the one policy a project's new
 * networks get when they name none. What the driver enforces follows every
 * change (qos-enforcement.ts).
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, qosErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { owningProject, readable, targetOf } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import type { QosEnforcement } from './qos-enforcement.js';
import { ruleView, type QosRule, type QosRuleAttrs } from './qos-rule-types.js';

export interface QosPolicyAttrs extends Record<string, unknown> {
  description: string;
  shared: boolean;
  is_default: boolean;
}

export type QosPolicy = Resource<QosPolicyAttrs>;

export const QOS_POLICY_ATTRS: AttrMap = {
  shared: { type: 'boolean', create: true, update: true },
  is_default: { type: 'boolean', create: true, update: true },
};

export class QosPolicyOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly enforcement: QosEnforcement,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(QOS_POLICY_ATTRS, body);
    const projectId = owningProject(this.deps, auth, input, 'create_policy');
    const policy = await this.deps.db.transaction().execute(async (trx) => {
      const isDefault = (input.is_default as boolean | undefined) ?? false;
      if (isDefault) await checkSingleDefault(trx, projectId, null);
      return store.insertResource<QosPolicyAttrs>(trx, {
        id: uuid(),
        kind: 'qos_policy',
        projectId,
        name: (input.name as string | undefined) ?? '',
        attrs: { description: (input.description as string | undefined) ?? '', shared: (input.shared as boolean | undefined) ?? false, is_default: isDefault },
      });
    });
    return this.#object(policy);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return this.#object(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const policies = (await store.listResources<QosPolicyAttrs>(this.deps.db, 'qos_policy')).filter((p) => this.#readable(auth, p));
    const rules = await store.listResources<QosRuleAttrs>(this.deps.db, 'qos_rule', { parentIds: policies.map((p) => p.id) });
    return policies.map((p) => policyView(p, rules));
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(QOS_POLICY_ATTRS, body);
    const policy = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'update_policy', targetOf(policy));
    checkRevision(policy, ifMatch, errors.revisionMismatch);
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      if (input.is_default === true) await checkSingleDefault(trx, policy.projectId, id);
      const attrs: QosPolicyAttrs = { ...policy.attrs };
      if (input.description !== undefined) attrs.description = input.description as string;
      if (input.shared !== undefined) attrs.shared = input.shared as boolean;
      if (input.is_default !== undefined) attrs.is_default = input.is_default as boolean;
      return store.saveResource(trx, { ...policy, name: (input.name as string | undefined) ?? policy.name, attrs });
    });
    return this.#object(updated);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const policy = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_policy', targetOf(policy));
    checkRevision(policy, ifMatch, errors.revisionMismatch);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.lockResource(trx, 'qos_policy', id);
      for (const kind of ['network', 'port'] as const) {
        const user = (await store.listResources(trx, kind)).find((r) => r.attrs.qos_policy_id === id);
        if (user) throw qosErrors.policyInUse(id, kind, user.id);
      }
      for (const rule of await store.listResources(trx, 'qos_rule', { parentId: id })) await store.deleteResource(trx, rule.id);
      await store.deleteResource(trx, id);
    });
  }

  /** The policy as the caller may read it, or Neutron's 404. */
  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<QosPolicy> {
    const policy = await store.getResource<QosPolicyAttrs>(db, 'qos_policy', id);
    if (!policy || !this.#readable(auth, policy)) throw qosErrors.policyNotFound(id);
    return policy;
  }

  /**
   * Checks that `policyId` may be attached by the caller to a network or (with
   * `portId`) a port: the caller can read it, and for a port the driver
   * enforces every rule type it holds (Neutron's validate_policy_for_port).
   */
  async checkAttachable(auth: CallerContext, policyId: string | null, portId?: string): Promise<void> {
    if (policyId === null) return;
    await this.getVisible(auth, policyId);
    if (portId !== undefined) await this.enforcement.checkSupported(policyId, [portId]);
  }

  /** The policy a new network of `projectId` gets when it names none (qos-default). */
  async defaultFor(projectId: string): Promise<string | null> {
    const policies = await store.listResources<QosPolicyAttrs>(this.deps.db, 'qos_policy', { projectId });
    return policies.find((p) => p.attrs.is_default)?.id ?? null;
  }

  #readable(auth: CallerContext, policy: QosPolicy): boolean {
    return readable(this.deps, auth, 'policy', targetOf(policy));
  }

  async #object(policy: QosPolicy): Promise<NeutronObject> {
    return policyView(policy, await store.listResources<QosRuleAttrs>(this.deps.db, 'qos_rule', { parentId: policy.id }));
  }
}

/** A policy with its rules, each with its `type` and policy id as Neutron lists them. */
function policyView(policy: QosPolicy, rules: QosRule[]): NeutronObject {
  const own = rules.filter((r) => r.parentId === policy.id).map((r) => ({ ...ruleView(r), qos_policy_id: policy.id, type: r.attrs.type }));
  return toObject(policy, { rules: own });
}

/** One default policy per project (QoSPolicyDefaultAlreadyExists). */
async function checkSingleDefault(db: NetworkDb, projectId: string, exceptId: string | null): Promise<void> {
  const policies = await store.listResources<QosPolicyAttrs>(db, 'qos_policy', { projectId });
  if (policies.some((p) => p.id !== exceptId && p.attrs.is_default)) throw qosErrors.defaultExists(projectId);
}
