/**
 * What the driver is told of QoS: each bound port's effective policy (its
 * own, else its network's unless a network service owns the port, as
 * Neutron) turned into the limits and marking the driver enforces, applied
 * on binding, re-applied when a policy, a rule or an attachment changes.
 */
import { NO_QOS, type DriverQos } from '../drivers/qos.js';
import { qosErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import type { QosRuleAttrs } from './qos-rule-types.js';

type PortLike = Resource<Record<string, unknown>>;

/** The ports to re-apply: those whose effective policy is one of `policyIds`, or on one of `networkIds`, or listed. */
export interface QosScope {
  policyIds?: string[];
  networkIds?: string[];
  portIds?: string[];
}

export class QosEnforcement {
  constructor(private readonly deps: NetworkDeps) {}

  /** The port's effective policy id: its own, else its network's for ports no network service owns. */
  async policyOf(port: PortLike): Promise<string | null> {
    const own = port.attrs.qos_policy_id as string | null | undefined;
    if (own) return own;
    if (String(port.attrs.device_owner ?? '').startsWith('network:')) return null;
    const network = await store.getResource(this.deps.db, 'network', String(port.attrs.network_id));
    return (network?.attrs.qos_policy_id as string | null | undefined) ?? null;
  }

  /** The policy's rules as the driver takes them (minimum bandwidth is for scheduling, not enforced on the tap). */
  async driverQos(policyId: string | null): Promise<DriverQos> {
    if (!policyId) return NO_QOS;
    const rules = await store.listResources<QosRuleAttrs>(this.deps.db, 'qos_rule', { parentId: policyId });
    const dscp = rules.find((r) => r.attrs.type === 'dscp_marking');
    return {
      bandwidthLimits: rules
        .filter((r) => r.attrs.type === 'bandwidth_limit')
        .map((r) => ({ direction: r.attrs.direction ?? 'egress', maxKbps: r.attrs.max_kbps ?? 0, maxBurstKbps: r.attrs.max_burst_kbps ?? 0 })),
      dscpMark: dscp?.attrs.dscp_mark ?? null,
    };
  }

  /** Applies the port's effective policy to the port, which the driver has bound. */
  async apply(port: PortLike): Promise<void> {
    await this.deps.driver.applyQos(port.id, await this.driverQos(await this.policyOf(port)));
  }

  /** Re-applies the QoS of the bound ports in `scope`; a port that fails is logged, the others still get theirs. */
  async reapply(scope: QosScope): Promise<void> {
    for (const port of await store.listResources(this.deps.db, 'port')) {
      if (!isBound(port)) continue;
      const inScope =
        scope.portIds?.includes(port.id) ||
        scope.networkIds?.includes(String(port.attrs.network_id)) ||
        (scope.policyIds !== undefined && scope.policyIds.includes((await this.policyOf(port)) ?? ''));
      if (!inScope) continue;
      await this.apply(port).catch((error: unknown) => this.deps.log.warn({ err: error, port: port.id }, 'could not apply QoS'));
    }
  }

  /**
   * Refuses (QosRuleNotSupported) a policy holding a rule type the driver
   * cannot enforce on a port it applies to: `portIds`, else every port that
   * names the policy itself.
   */
  async checkSupported(policyId: string, portIds?: string[]): Promise<void> {
    const supported = this.deps.driver.qosRuleTypes();
    const rules = await store.listResources<QosRuleAttrs>(this.deps.db, 'qos_rule', { parentId: policyId });
    const unsupported = rules.find((r) => !(r.attrs.type in supported));
    if (!unsupported) return;
    const ports = portIds ?? (await store.listResources(this.deps.db, 'port')).filter((p) => p.attrs.qos_policy_id === policyId).map((p) => p.id);
    const first = ports[0];
    if (first !== undefined) throw qosErrors.ruleNotSupported(unsupported.attrs.type, first);
  }
}

function isBound(port: PortLike): boolean {
  const vifType = port.attrs['binding:vif_type'];
  return Boolean(port.attrs['binding:host_id']) && vifType !== 'binding_failed' && vifType !== 'unbound';
}
