/**
 * Security groups and their rules. Every project gets a `default` group the
 * first time it needs one (listing groups, creating a port), with Neutron's
 * default rules: all egress, ingress only from members of the group.
 */
import type { CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { uuid } from '../../core/ids.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { countUnchecked, owningProject, readable, reserve, targetOf } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { formatCidr, parseCidr } from '../../core/net/ip.js';
import { checkRevision, derivedUuid, toObject, type NeutronObject } from './objects.js';
import type { Realisation } from './realisation.js';

export interface SecurityGroupAttrs extends Record<string, unknown> {
  description: string;
  stateful: boolean;
}

export interface RuleAttrs extends Record<string, unknown> {
  description: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
}

export type SecurityGroup = Resource<SecurityGroupAttrs>;
export type Rule = Resource<RuleAttrs>;

export const GROUP_ATTRS: AttrMap = {
  stateful: { type: 'boolean', create: true, update: true },
};

export const RULE_ATTRS: AttrMap = {
  security_group_id: { type: 'string', create: true },
  direction: { type: 'string', create: true },
  ethertype: { type: 'string', create: true },
  protocol: { type: 'any', create: true },
  port_range_min: { type: 'nullable-integer', create: true },
  port_range_max: { type: 'nullable-integer', create: true },
  remote_ip_prefix: { type: 'nullable-string', create: true },
  remote_group_id: { type: 'nullable-string', create: true },
  remote_address_group_id: { type: 'nullable-string', create: true },
};

/** neutron-lib's IP_PROTOCOL_MAP. */
export const PROTOCOLS: Record<string, number> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ipip: 4,
  'ipv6-encap': 41,
  'ipv6-frag': 44,
  'ipv6-icmp': 58,
  icmpv6: 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  'ipv6-route': 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};
const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp', 'dccp', 'udplite', '6', '17', '132', '33', '136'];
const ICMP_PROTOCOLS = ['icmp', 'ipv6-icmp', 'icmpv6', '1', '58'];

/** One id per project for its default group, so concurrent first uses create it once. */
function defaultGroupId(projectId: string): string {
  return derivedUuid(`nimbus-default-sg:${projectId}`);
}

export class SecurityGroupOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly realisation: Realisation,
  ) {}

  /** The project's `default` group, created with its rules if it does not exist yet. */
  async ensureDefault(projectId: string): Promise<SecurityGroup> {
    const id = defaultGroupId(projectId);
    const existing = await store.getResource<SecurityGroupAttrs>(this.deps.db, 'security_group', id);
    if (existing) return existing;
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const group = await store.insertResource<SecurityGroupAttrs>(trx, {
          id,
          kind: 'security_group',
          projectId,
          name: 'default',
          attrs: { description: 'Default security group', stateful: true },
        });
        for (const ethertype of ['IPv4', 'IPv6'] as const) {
          for (const [direction, remote] of [
            ['egress', null],
            ['ingress', id],
          ] as const) {
            await this.#insertRule(trx, projectId, {
              description: '',
              security_group_id: id,
              direction,
              ethertype,
              protocol: null,
              port_range_min: null,
              port_range_max: null,
              remote_ip_prefix: null,
              remote_group_id: remote,
              remote_address_group_id: null,
            });
          }
        }
        // Neutron counts the default group and its four rules in the project's usage.
        await countUnchecked(this.deps, trx, projectId, { security_group: 1, security_group_rule: 4 });
        return group;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await store.getResource<SecurityGroupAttrs>(this.deps.db, 'security_group', id)) as SecurityGroup;
    }
  }

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(GROUP_ATTRS, body);
    const projectId = owningProject(this.deps, auth, input, 'create_security_group');
    await this.ensureDefault(projectId);
    if (input.name === 'default') throw errors.securityGroupDefaultAlreadyExists();
    const id = uuid();
    const group = await this.deps.db.transaction().execute(async (trx) => {
      await reserve(this.deps, trx, projectId, { security_group: 1, security_group_rule: 2 });
      const created = await store.insertResource<SecurityGroupAttrs>(trx, {
        id,
        kind: 'security_group',
        projectId,
        name: (input.name as string | undefined) ?? '',
        attrs: { description: (input.description as string | undefined) ?? '', stateful: (input.stateful as boolean | undefined) ?? true },
      });
      for (const ethertype of ['IPv4', 'IPv6'] as const) {
        await this.#insertRule(trx, projectId, {
          description: '',
          security_group_id: id,
          direction: 'egress',
          ethertype,
          protocol: null,
          port_range_min: null,
          port_range_max: null,
          remote_ip_prefix: null,
          remote_group_id: null,
          remote_address_group_id: null,
        });
      }
      return created;
    });
    return this.#groupObject(group);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return this.#groupObject(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    if (auth.project) await this.ensureDefault(auth.project.id);
    const groups = this.deps.access.isAdmin(auth) ? await store.listResources<SecurityGroupAttrs>(this.deps.db, 'security_group') : await this.#ownGroups(auth);
    const readableGroups = groups.filter((g) => readable(this.deps, auth, 'security_group', targetOf(g)));
    const rules = await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule', { parentIds: readableGroups.map((g) => g.id) });
    return readableGroups.map((g) =>
      this.#groupObjectWith(
        g,
        rules.filter((r) => r.parentId === g.id),
      ),
    );
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(GROUP_ATTRS, body);
    const group = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'update_security_group', targetOf(group));
    checkRevision(group, ifMatch, errors.revisionMismatch);
    if (group.name === 'default' && input.name !== undefined && input.name !== 'default') {
      throw errors.securityGroupCannotUpdateDefault();
    }
    if (input.name === 'default' && group.name !== 'default') throw errors.securityGroupDefaultAlreadyExists();
    const attrs = { ...group.attrs };
    if (input.description !== undefined) attrs.description = input.description as string;
    if (input.stateful !== undefined) attrs.stateful = input.stateful as boolean;
    const updated = await store.saveResource(this.deps.db, { ...group, name: (input.name as string | undefined) ?? group.name, attrs });
    return this.#groupObject(updated);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const group = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_security_group', targetOf(group));
    checkRevision(group, ifMatch, errors.revisionMismatch);
    if (group.name === 'default' && !this.deps.access.isAdmin(auth)) throw errors.securityGroupCannotRemoveDefault();
    const referencing = new Set<string>();
    await this.deps.db.transaction().execute(async (trx) => {
      const ports = await store.listResources(trx, 'port');
      if (ports.some((p) => (p.attrs.security_groups as string[] | undefined)?.includes(id))) throw errors.securityGroupInUse(id);
      const rules = await store.listResources(trx, 'security_group_rule', { parentId: id });
      for (const rule of rules) await store.deleteResource(trx, rule.id);
      // Rules of other groups naming this one as their remote go with it, as Neutron's foreign key cascades.
      const naming = (await store.listResources<RuleAttrs>(trx, 'security_group_rule')).filter((r) => r.attrs.remote_group_id === id);
      for (const rule of naming) {
        await store.deleteResource(trx, rule.id);
        await this.deps.quota.release(trx, rule.projectId, { security_group_rule: 1 });
        referencing.add(rule.attrs.security_group_id);
      }
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, group.projectId, { security_group: 1, security_group_rule: rules.length });
    });
    if (referencing.size > 0) await this.realisation.reapplyGroups([...referencing]);
  }

  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<SecurityGroup> {
    const group = await store.getResource<SecurityGroupAttrs>(db, 'security_group', id);
    if (!group || !(this.deps.access.isAdmin(auth) || group.projectId === auth.project?.id)) throw notFound.security_group(id);
    if (!readable(this.deps, auth, 'security_group', targetOf(group))) throw notFound.security_group(id);
    return group;
  }

  // --- rules ---------------------------------------------------------------

  async createRule(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(RULE_ATTRS, body);
    if (typeof input.security_group_id !== 'string') throw errors.invalidAttribute('security_group_id', "'None' is not a valid UUID");
    const group = await this.getVisible(auth, input.security_group_id);
    const groupOwner = { 'security_group:project_id': group.projectId, 'security_group:tenant_id': group.projectId };
    const adminForGroup = this.deps.access.isAdmin(auth) && input.project_id === undefined && input.tenant_id === undefined;
    if (adminForGroup) this.deps.access.authorize(auth, 'create_security_group_rule', { ...groupOwner, project_id: group.projectId });
    const projectId = adminForGroup ? group.projectId : owningProject(this.deps, auth, input, 'create_security_group_rule', groupOwner);
    const attrs = this.#checkRule(input, group.id);
    if (attrs.remote_group_id !== null && attrs.remote_group_id !== group.id) await this.getVisible(auth, attrs.remote_group_id);
    const rule = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await store.listResources<RuleAttrs>(trx, 'security_group_rule', { parentId: group.id });
      const duplicate = existing.find((r) => sameRule(r.attrs, attrs));
      if (duplicate) throw errors.securityGroupRuleExists(duplicate.id);
      await reserve(this.deps, trx, projectId, { security_group_rule: 1 });
      return this.#insertRule(trx, projectId, attrs);
    });
    await this.realisation.reapplyGroups([group.id]);
    return ruleObject(rule);
  }

  async getRule(auth: CallerContext, id: string): Promise<NeutronObject> {
    return ruleObject(await this.#visibleRule(auth, id));
  }

  async listRules(auth: CallerContext): Promise<NeutronObject[]> {
    if (auth.project) await this.ensureDefault(auth.project.id);
    if (this.deps.access.isAdmin(auth)) return (await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule')).map(ruleObject);
    if (!auth.project) return [];
    const groups = await this.#ownGroups(auth);
    const rules = await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule', { parentIds: groups.map((g) => g.id) });
    const own = await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule', { projectId: auth.project.id });
    const owners = new Map(
      (await store.listResources(this.deps.db, 'security_group', { ids: own.map((r) => r.parentId ?? '') })).map((g) => [g.id, g.projectId]),
    );
    for (const g of groups) owners.set(g.id, g.projectId);
    const seen = new Set<string>();
    return [...rules, ...own]
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .filter((r) => readable(this.deps, auth, 'security_group_rule', ruleTarget(r, owners.get(r.parentId ?? '') ?? '')))
      .map(ruleObject);
  }

  async deleteRule(auth: CallerContext, id: string): Promise<void> {
    const rule = await this.#visibleRule(auth, id);
    const group = await store.getResource(this.deps.db, 'security_group', rule.parentId ?? '');
    this.deps.access.authorize(auth, 'delete_security_group_rule', ruleTarget(rule, group?.projectId ?? ''));
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, rule.projectId, { security_group_rule: 1 });
    });
    await this.realisation.reapplyGroups([rule.attrs.security_group_id]);
  }

  /** Every rule of the given groups (the driver applies their union to a port). */
  async rulesOf(groupIds: string[]): Promise<Rule[]> {
    return store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule', { parentIds: groupIds });
  }

  async #visibleRule(auth: CallerContext, id: string): Promise<Rule> {
    const rule = await store.getResource<RuleAttrs>(this.deps.db, 'security_group_rule', id);
    if (!rule) throw notFound.security_group_rule(id);
    const group = await store.getResource(this.deps.db, 'security_group', rule.parentId ?? '');
    const inQuery = this.deps.access.isAdmin(auth) || (auth.project !== null && (rule.projectId === auth.project.id || group?.projectId === auth.project.id));
    if (!inQuery || !readable(this.deps, auth, 'security_group_rule', ruleTarget(rule, group?.projectId ?? ''))) throw notFound.security_group_rule(id);
    return rule;
  }

  /** The caller's project's groups (none for a token without a project). */
  async #ownGroups(auth: CallerContext): Promise<SecurityGroup[]> {
    if (!auth.project) return [];
    return store.listResources<SecurityGroupAttrs>(this.deps.db, 'security_group', { projectId: auth.project.id });
  }

  async #insertRule(trx: NetworkDb, projectId: string, attrs: RuleAttrs): Promise<Rule> {
    return store.insertResource<RuleAttrs>(trx, { id: uuid(), kind: 'security_group_rule', projectId, parentId: attrs.security_group_id, name: '', attrs });
  }

  #checkRule(input: Record<string, unknown>, groupId: string): RuleAttrs {
    const direction = input.direction;
    if (direction !== 'ingress' && direction !== 'egress') {
      throw errors.invalidAttribute('direction', `${String(direction)} is not in ['ingress', 'egress']`);
    }
    const rawEthertype = typeof input.ethertype === 'string' ? input.ethertype.toLowerCase() : input.ethertype === undefined ? 'ipv4' : '';
    if (rawEthertype !== 'ipv4' && rawEthertype !== 'ipv6') {
      throw errors.securityGroupRuleInvalidEtherType(String(input.ethertype));
    }
    const ethertype = rawEthertype === 'ipv4' ? 'IPv4' : 'IPv6';
    const protocol = normalizeProtocol(input.protocol);
    if (protocol !== null && ['icmpv6', 'ipv6-icmp', '58'].includes(protocol) && ethertype === 'IPv4') {
      throw errors.securityGroupEthertypeConflictWithProtocol(ethertype, protocol);
    }
    const min = (input.port_range_min as number | null | undefined) ?? null;
    const max = (input.port_range_max as number | null | undefined) ?? null;
    this.#checkPorts(protocol, min, max);
    const remoteGroup = (input.remote_group_id as string | null | undefined) ?? null;
    const prefix = (input.remote_ip_prefix as string | null | undefined) ?? null;
    if (remoteGroup !== null && prefix !== null) {
      throw errors.securityGroupRemoteGroupAndRemoteIpPrefix();
    }
    if (prefix !== null) {
      const cidr = parseCidr(prefix);
      if (!cidr) throw errors.invalidAttribute('remote_ip_prefix', `'${prefix}' is not a valid IP subnet`);
      if ((cidr.version === 4) !== (ethertype === 'IPv4')) {
        throw errors.securityGroupRuleParameterConflict(ethertype, prefix);
      }
    }
    return {
      description: (input.description as string | undefined) ?? '',
      security_group_id: groupId,
      direction,
      ethertype,
      protocol,
      port_range_min: min,
      port_range_max: max,
      remote_ip_prefix: prefix,
      remote_group_id: remoteGroup,
      remote_address_group_id: (input.remote_address_group_id as string | null | undefined) ?? null,
    };
  }

  #checkPorts(protocol: string | null, min: number | null, max: number | null): void {
    if (min === null && max === null) return;
    if (protocol === null) throw errors.securityGroupProtocolRequiredWithPorts();
    if (PORT_PROTOCOLS.includes(protocol)) {
      for (const port of [min, max]) {
        if (port !== null && (port < 1 || port > 65535)) throw errors.securityGroupInvalidPortValue(port);
      }
      if (min === null || max === null || min > max) {
        throw errors.securityGroupInvalidPortRange();
      }
    } else if (ICMP_PROTOCOLS.includes(protocol)) {
      for (const [field, value] of [
        ['type', min],
        ['code', max],
      ] as const) {
        if (value !== null && (value < 0 || value > 255)) {
          throw errors.securityGroupInvalidIcmpValue(field, value);
        }
      }
      if (min === null && max !== null) {
        throw errors.securityGroupMissingIcmpType(max);
      }
    } else {
      throw errors.securityGroupInvalidProtocolForPortRange(protocol);
    }
  }

  #groupObject(group: SecurityGroup): Promise<NeutronObject> {
    return this.rulesOf([group.id]).then((rules) => this.#groupObjectWith(group, rules));
  }

  #groupObjectWith(group: SecurityGroup, rules: Rule[]): NeutronObject {
    return toObject(group, { security_group_rules: rules.map(ruleObject), shared: false });
  }
}

function normalizeProtocol(value: unknown): string | null {
  if (value === undefined || value === null || value === 'any' || value === '') return null;
  const text = String(value).toLowerCase();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 255) return String(n);
  } else if (text in PROTOCOLS) {
    return text;
  }
  throw errors.securityGroupRuleInvalidProtocol(String(value), ...Object.keys(PROTOCOLS));
}

function sameRule(a: RuleAttrs, b: RuleAttrs): boolean {
  const keys: Array<keyof RuleAttrs> = [
    'direction',
    'ethertype',
    'protocol',
    'port_range_min',
    'port_range_max',
    'remote_ip_prefix',
    'remote_group_id',
    'remote_address_group_id',
  ];
  const protocolNumber = (p: string | null) => (p === null ? null : /^\d+$/.test(p) ? Number(p) : (PROTOCOLS[p] ?? p));
  const same = (k: keyof RuleAttrs) => {
    if (k === 'protocol') return protocolNumber(a.protocol) === protocolNumber(b.protocol);
    if (k === 'remote_ip_prefix') return normalizedCidr(a.remote_ip_prefix) === normalizedCidr(b.remote_ip_prefix);
    return (a[k] ?? null) === (b[k] ?? null);
  };
  return keys.every(same);
}

/**
 * A remote prefix's network (host bits cleared). Neutron keeps the prefix as
 * given (`10.2.3.124/24`) and shows this form as `normalized_cidr`; rules
 * compare and filter by it.
 */
export function normalizedCidr(prefix: string | null): string | null {
  const cidr = prefix === null ? null : parseCidr(prefix);
  return cidr ? formatCidr(cidr) : prefix;
}

export function ruleObject(rule: Rule): NeutronObject {
  const object = toObject(rule, {
    normalized_cidr: normalizedCidr(rule.attrs.remote_ip_prefix),
    remote_address_group_id: rule.attrs.remote_address_group_id ?? null,
  });
  delete object.name;
  return object;
}

/** A rule's policy target: the owner of its group is `security_group:project_id`, as in Neutron. */
function ruleTarget(rule: Rule, groupOwner: string): Record<string, unknown> {
  return targetOf(rule, { 'security_group:project_id': groupOwner, 'security_group:tenant_id': groupOwner });
}
