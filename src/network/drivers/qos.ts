/**
 * Quality of service as a driver applies it to a bound port, and the rule
 * types (with their parameters) a driver can enforce, as Neutron's QoS
 * drivers declare them. Both drivers take what Neutron's Linux-bridge QoS
 * driver takes: bandwidth limits in either direction (tc on the tap) and
 * DSCP marking of the port's outgoing packets; minimum bandwidth is not
 * enforceable by either.
 */

/** Directions as Neutron names them: from the VM (`egress`) and to it (`ingress`). */
export type QosDirection = 'ingress' | 'egress';

export interface DriverBandwidthLimit {
  direction: QosDirection;
  maxKbps: number;
  /** 0: the driver picks Neutron's default (80 % of the rate). */
  maxBurstKbps: number;
}

/** The port's effective policy's rules the driver enforces; empty lists and null remove them. */
export interface DriverQos {
  bandwidthLimits: DriverBandwidthLimit[];
  dscpMark: number | null;
}

export const NO_QOS: DriverQos = { bandwidthLimits: [], dscpMark: null };

/** One parameter of a rule type, as `GET /qos/rule-types/{type}` shows it. */
export type QosParameter =
  | { parameter_name: string; parameter_type: 'range'; parameter_values: { start: number; end: number } }
  | { parameter_name: string; parameter_type: 'choices'; parameter_values: Array<string | number> };

/** Rule type → the parameters the driver supports. */
export type QosRuleTypes = Record<string, QosParameter[]>;

/** Neutron's database integer bound on rates. */
const MAX_RATE = 2147483647;

/** The DSCP values Neutron accepts (neutron-lib's VALID_DSCP_MARKS). */
export const VALID_DSCP_MARKS = [0, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 46, 48, 56];

export const DIRECTIONS: QosDirection[] = ['ingress', 'egress'];

/** What Neutron's Linux-bridge QoS driver supports. */
export const LINUX_BRIDGE_QOS_RULES: QosRuleTypes = {
  bandwidth_limit: [
    { parameter_name: 'max_kbps', parameter_type: 'range', parameter_values: { start: 0, end: MAX_RATE } },
    { parameter_name: 'max_burst_kbps', parameter_type: 'range', parameter_values: { start: 0, end: MAX_RATE } },
    { parameter_name: 'direction', parameter_type: 'choices', parameter_values: DIRECTIONS },
  ],
  dscp_marking: [{ parameter_name: 'dscp_mark', parameter_type: 'choices', parameter_values: VALID_DSCP_MARKS }],
};
