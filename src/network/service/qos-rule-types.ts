/**
 * The three QoS rule types Neutron's API takes — bandwidth limit, DSCP
 * marking, minimum bandwidth — with their attribute maps, defaults and
 * Neutron's checks of their values (neutron-lib's qos API definitions).
 */
import { errors } from '../errors.js';
import { DIRECTIONS, VALID_DSCP_MARKS } from '../drivers/qos.js';
import type { Resource } from '../store/index.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NeutronObject } from './objects.js';

export const RULE_TYPES = ['bandwidth_limit', 'dscp_marking', 'minimum_bandwidth'] as const;
export type QosRuleType = (typeof RULE_TYPES)[number];

export interface QosRuleAttrs extends Record<string, unknown> {
  type: QosRuleType;
  max_kbps?: number;
  max_burst_kbps?: number;
  direction?: 'ingress' | 'egress';
  dscp_mark?: number;
  min_kbps?: number;
}

export type QosRule = Resource<QosRuleAttrs>;

/** Neutron's database integer bound on rates. */
const MAX_RATE = 2147483647;

const rate = { type: 'integer', create: true, update: true } as const;
const direction = { type: 'string', create: true, update: true } as const;
/** Rules have no standard attributes: a name or description is refused. */
const NO_STANDARD: AttrMap = { name: { type: 'string' }, description: { type: 'string' } };

export interface RuleTypeSpec {
  /** `bandwidth_limit_rule`, the body key. */
  singular: string;
  /** `bandwidth_limit_rules`, the path segment and list key. */
  collection: string;
  attributes: AttrMap;
  /** The parameters a create must give. */
  required: string[];
  defaults: Partial<QosRuleAttrs>;
}

export const RULE_SPECS: Record<QosRuleType, RuleTypeSpec> = {
  bandwidth_limit: {
    singular: 'bandwidth_limit_rule',
    collection: 'bandwidth_limit_rules',
    attributes: { max_kbps: rate, max_burst_kbps: rate, direction, ...NO_STANDARD },
    required: ['max_kbps'],
    defaults: { max_burst_kbps: 0, direction: 'egress' },
  },
  dscp_marking: {
    singular: 'dscp_marking_rule',
    collection: 'dscp_marking_rules',
    attributes: { dscp_mark: rate, ...NO_STANDARD },
    required: ['dscp_mark'],
    defaults: {},
  },
  minimum_bandwidth: {
    singular: 'minimum_bandwidth_rule',
    collection: 'minimum_bandwidth_rules',
    attributes: { min_kbps: rate, direction, ...NO_STANDARD },
    required: ['min_kbps'],
    defaults: { direction: 'egress' },
  },
};

/**
 * The rule's parameters after a create (`current` null) or an update of
 * `current` with `body`, each checked as Neutron's validators do.
 */
export function ruleParameters(type: QosRuleType, body: unknown, current: QosRuleAttrs | null): QosRuleAttrs {
  const spec = RULE_SPECS[type];
  const input = convertBody(spec.attributes, body);
  if (current === null) for (const key of spec.required) if (input[key] === undefined) throw errors.requiredAttribute(key);
  const merged: Record<string, unknown> = { ...(current ?? spec.defaults), type };
  for (const key of Object.keys(spec.attributes)) if (input[key] !== undefined && key !== 'name' && key !== 'description') merged[key] = input[key];
  for (const key of ['max_kbps', 'max_burst_kbps', 'min_kbps']) {
    const value = merged[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_RATE)) {
      throw errors.invalidAttribute(key, `'${String(value)}' is not in range 0 through ${MAX_RATE}`);
    }
  }
  if (merged.direction !== undefined && !DIRECTIONS.includes(merged.direction as 'ingress')) {
    throw errors.invalidAttribute('direction', `'${String(merged.direction)}' is not in ['ingress', 'egress']`);
  }
  if (merged.dscp_mark !== undefined && !VALID_DSCP_MARKS.includes(merged.dscp_mark as number)) {
    throw errors.invalidAttribute('dscp_mark', `'${String(merged.dscp_mark)}' is not in [${VALID_DSCP_MARKS.join(', ')}]`);
  }
  return merged as QosRuleAttrs;
}

/** A rule as its own routes show it: its id and parameters. */
export function ruleView(rule: QosRule): NeutronObject {
  const parameters: Record<string, unknown> = { ...rule.attrs };
  delete parameters.type;
  return { id: rule.id, ...parameters };
}

/** Neutron's `duplicates`: two rules of one type (and, where the type has one, the same direction). */
export function duplicates(a: QosRuleAttrs, b: QosRuleAttrs): boolean {
  return a.type === b.type && a.direction === b.direction;
}
