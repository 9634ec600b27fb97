/**
 * The `metering` extension: labels (admin only, as Neutron's policy) and
 * their rules, each an address prefix (remote, or source and/or
 * destination) counted in one direction, or excluded from the count. The API
 * and its checks are Neutron's metering plugin's; no driver counts the
 * traffic yet, so no metering agent exists and nothing reports bytes.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { cidrsOverlap, parseCidr } from '../../core/net/ip.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import { owningProject } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { NeutronObject } from './objects.js';

interface LabelAttrs extends Record<string, unknown> {
  description: string;
  shared: boolean;
}

interface RuleAttrs extends Record<string, unknown> {
  metering_label_id: string;
  direction: 'ingress' | 'egress';
  excluded: boolean;
  remote_ip_prefix: string | null;
  source_ip_prefix: string | null;
  destination_ip_prefix: string | null;
}

type Label = Resource<LabelAttrs>;
type Rule = Resource<RuleAttrs>;

export const LABEL_ATTRS: AttrMap = {
  shared: { type: 'boolean', create: true },
  name: { type: 'string', create: true },
  description: { type: 'string', create: true },
};

const PREFIXES = ['remote_ip_prefix', 'source_ip_prefix', 'destination_ip_prefix'] as const;

export const RULE_ATTRS: AttrMap = {
  metering_label_id: { type: 'string', create: true },
  direction: { type: 'string', create: true },
  excluded: { type: 'boolean', create: true },
  ...Object.fromEntries(PREFIXES.map((p) => [p, { type: 'nullable-string', create: true }])),
  // Rules have no standard attributes: a name or description is refused.
  name: { type: 'string' },
  description: { type: 'string' },
};

function labelObject(label: Label): NeutronObject {
  const { id, name, projectId, attrs } = label;
  return { id, name, description: attrs.description, shared: attrs.shared, project_id: projectId, tenant_id: projectId };
}

function ruleObject(rule: Rule): NeutronObject {
  return { id: rule.id, ...rule.attrs };
}

export class MeteringOps {
  constructor(private readonly deps: NetworkDeps) {}

  readonly labels = {
    create: async (auth: CallerContext, body: unknown): Promise<NeutronObject> => {
      const input = convertBody(LABEL_ATTRS, body);
      const projectId = owningProject(this.deps, auth, input, 'create_metering_label');
      const label = await store.insertResource<LabelAttrs>(this.deps.db, {
        id: uuid(),
        kind: 'metering_label',
        projectId,
        name: (input.name as string | undefined) ?? '',
        attrs: { description: (input.description as string | undefined) ?? '', shared: (input.shared as boolean | undefined) ?? false },
      });
      return labelObject(label);
    },
    get: async (auth: CallerContext, id: string): Promise<NeutronObject> => labelObject(await this.#label(auth, id)),
    list: async (auth: CallerContext): Promise<NeutronObject[]> =>
      this.#readable(auth) ? (await store.listResources<LabelAttrs>(this.deps.db, 'metering_label')).map(labelObject) : [],
    delete: async (auth: CallerContext, id: string): Promise<void> => {
      const label = await this.#label(auth, id);
      this.deps.access.authorize(auth, 'delete_metering_label', { project_id: label.projectId });
      await this.deps.db.transaction().execute(async (trx) => {
        for (const rule of await store.listResources(trx, 'metering_label_rule', { parentId: id })) await store.deleteResource(trx, rule.id);
        await store.deleteResource(trx, id);
      });
    },
  };

  readonly rules = {
    create: async (auth: CallerContext, body: unknown): Promise<NeutronObject> => {
      const input = convertBody(RULE_ATTRS, body);
      this.deps.access.authorize(auth, 'create_metering_label_rule', {});
      const label = await this.#label(auth, String(input.metering_label_id ?? ''));
      const attrs = checkRule(label.id, input);
      const rule = await this.deps.db.transaction().execute(async (trx) => {
        const siblings = await store.listResources<RuleAttrs>(trx, 'metering_label_rule', { parentId: label.id });
        checkOverlap(attrs, siblings);
        return store.insertResource<RuleAttrs>(trx, {
          id: uuid(),
          kind: 'metering_label_rule',
          projectId: label.projectId,
          parentId: label.id,
          name: '',
          attrs,
        });
      });
      return ruleObject(rule);
    },
    get: async (auth: CallerContext, id: string): Promise<NeutronObject> => ruleObject(await this.#rule(auth, id)),
    list: async (auth: CallerContext): Promise<NeutronObject[]> =>
      this.#readable(auth) ? (await store.listResources<RuleAttrs>(this.deps.db, 'metering_label_rule')).map(ruleObject) : [],
    delete: async (auth: CallerContext, id: string): Promise<void> => {
      await this.#rule(auth, id);
      this.deps.access.authorize(auth, 'delete_metering_label_rule', {});
      await store.deleteResource(this.deps.db, id);
    },
  };

  #readable(auth: CallerContext): boolean {
    return this.deps.access.isAdmin(auth);
  }

  async #label(auth: CallerContext, id: string): Promise<Label> {
    const label = this.#readable(auth) ? await store.getResource<LabelAttrs>(this.deps.db, 'metering_label', id) : null;
    if (!label) throw errors.meteringLabelNotFound(id);
    return label;
  }

  async #rule(auth: CallerContext, id: string): Promise<Rule> {
    const rule = this.#readable(auth) ? await store.getResource<RuleAttrs>(this.deps.db, 'metering_label_rule', id) : null;
    if (!rule) throw errors.meteringLabelRuleNotFound(id);
    return rule;
  }
}

/** Neutron's metering plugin's checks: valid prefixes, remote alone or source/destination, at least one. */
function checkRule(labelId: string, input: Record<string, unknown>): RuleAttrs {
  const direction = input.direction ?? 'ingress';
  if (direction !== 'ingress' && direction !== 'egress') throw errors.invalidAttribute('direction', `'${String(direction)}' is not in ['ingress', 'egress']`);
  const prefixes = Object.fromEntries(PREFIXES.map((p) => [p, (input[p] as string | null | undefined) || null])) as Record<
    (typeof PREFIXES)[number],
    string | null
  >;
  for (const key of PREFIXES) {
    const value = prefixes[key];
    if (value !== null && !parseCidr(value)) throw errors.invalid(`${key}: ${value} is invalid [${value} does not appear to be an IPv4 or IPv6 interface].`);
  }
  if (prefixes.remote_ip_prefix && (prefixes.source_ip_prefix || prefixes.destination_ip_prefix))
    throw errors.invalid("Cannot use 'remote-ip-prefix' in conjunction with 'source-ip-prefix' or 'destination-ip-prefix'.");
  if (!prefixes.remote_ip_prefix && !prefixes.source_ip_prefix && !prefixes.destination_ip_prefix)
    throw errors.invalid("You must define at least one of the following parameters 'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'.");
  return { metering_label_id: labelId, direction, excluded: (input.excluded as boolean | undefined) ?? false, ...prefixes };
}

/** Neutron refuses a remote prefix overlapping another of the label's rules in the same direction and exclusion. */
function checkOverlap(rule: RuleAttrs, siblings: Rule[]): void {
  const mine = rule.remote_ip_prefix ? parseCidr(rule.remote_ip_prefix) : null;
  if (!mine || !rule.remote_ip_prefix) return;
  for (const other of siblings) {
    if (other.attrs.direction !== rule.direction || other.attrs.excluded !== rule.excluded || !other.attrs.remote_ip_prefix) continue;
    const theirs = parseCidr(other.attrs.remote_ip_prefix);
    if (theirs && cidrsOverlap(mine, theirs)) throw errors.meteringLabelRuleOverlaps(rule.remote_ip_prefix);
  }
}
