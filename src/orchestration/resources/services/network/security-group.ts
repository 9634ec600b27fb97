/** OS::Neutron::SecurityGroup (rules inline) and OS::Neutron::SecurityGroupRule. */
import { BadRequest } from '../../../../core/errors.js';
import type { SecurityGroupInfo, SecurityGroupRuleInfo } from '../../../../network/operations.js';
import type { ResourcePlugin } from '../../types.js';
import { allowed, boolean, custom, listOf, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { deleteUnlessGone, flag, maps, text, unlessGone } from '../support.js';
import { neutron, neutronByName, neutronId } from './lookups.js';
import { reconcileRules, remoteGroupProperty, ruleProperties, ruleRequest, sameRule } from './rules.js';
import { ruleView, securityGroupView } from './views.js';

const ruleKeys = {
  ...ruleProperties,
  remote_mode: string('Whether to specify a remote group or a remote IP prefix.', {
    default: 'remote_ip_prefix',
    constraints: [allowed('remote_ip_prefix', 'remote_group_id')],
  }),
  remote_group_id: remoteGroupProperty,
};

const securityGroupObject = serviceResource<SecurityGroupInfo>(
  {
    type: 'OS::Neutron::SecurityGroup',
    description: 'A security group and its rules.',
    nameProperty: 'name',
    properties: {
      name: string('A string specifying a symbolic name for the security group, which is not required to be unique.', { updateAllowed: true }),
      description: string('Description of the security group.', { updateAllowed: true }),
      rules: listOf('List of security group rules.', ruleKeys, { default: [], updateAllowed: true }),
      stateful: boolean('Whether the security group is stateful.', { default: true, updateAllowed: true }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => neutron(ctx.services).securityGroups.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).securityGroups, name),
    create: (ctx, p, name) =>
      neutron(ctx.services).securityGroups.create(ctx.caller, { name, description: text(p, 'description') ?? '', stateful: flag(p, 'stateful') ?? true }),
    // Rules are made once the id is recorded, so a crash in between leaves them to the retried create.
    awaitReady: async (ctx, group, p) => {
      if (maps(p, 'rules').length > 0) await reconcileRules(ctx, group.id, maps(p, 'rules'));
    },
    async update(ctx, id, change) {
      const p = change.properties;
      const groups = neutron(ctx.services).securityGroups;
      if (change.changed.some((key) => key !== 'rules')) {
        await groups.update(ctx.caller, id, {
          name: text(p, 'name') ?? ctx.resource.physicalName,
          description: text(p, 'description') ?? '',
          stateful: flag(p, 'stateful') ?? true,
        });
      }
      if (change.changed.includes('rules')) await reconcileRules(ctx, id, maps(p, 'rules'));
    },
    remove: (ctx, id) => neutron(ctx.services).securityGroups.delete(ctx.caller, id),
    idOf: (g) => g.id,
    view: securityGroupView,
  },
);

export const securityGroupResource: ResourcePlugin = {
  ...securityGroupObject,
  async validate(p) {
    if (p.name === 'default') throw new BadRequest('Security groups cannot be assigned the name "default".', { type: 'StackValidationFailed' });
  },
};

export const securityGroupRuleResource: ResourcePlugin = {
  type: 'OS::Neutron::SecurityGroupRule',
  description: 'One rule of a security group.',
  supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
  properties: {
    security_group: string('Security group name or ID to add rule.', { required: true, constraints: [custom('neutron.security_group')] }),
    ...ruleProperties,
    remote_group: remoteGroupProperty,
  },
  attributes: {},
  async validate(p) {
    if (text(p, 'remote_group') !== undefined && text(p, 'remote_ip_prefix') !== undefined)
      throw new BadRequest('Cannot define the following properties at the same time: remote_group, remote_ip_prefix', { type: 'ResourcePropertyConflict' });
  },
  async create(ctx, p) {
    const groups = neutron(ctx.services).securityGroups;
    const groupId = await neutronId(ctx, 'securityGroups', text(p, 'security_group') ?? '');
    const remote = text(p, 'remote_group');
    const request = ruleRequest(groupId, p, remote === undefined ? null : await neutronId(ctx, 'securityGroups', remote));
    // An earlier attempt's rule is the same rule (Neutron refuses a duplicate): adopt it.
    const existing = (await groups.get(ctx.caller, groupId)).rules.find((rule) => sameRule(rule, request));
    const rule = existing ?? (await groups.createRule(ctx.caller, request));
    await ctx.setPhysicalId(rule.id);
  },
  async delete(ctx) {
    if (ctx.resource.physicalId === null) return;
    await deleteUnlessGone(neutron(ctx.services).securityGroups.deleteRule(ctx.caller, ctx.resource.physicalId));
  },
  async resolveAttribute(ctx, name) {
    const rule = await ruleOf(ctx.resource.physicalId, (id) => neutron(ctx.services).securityGroups.getRule(ctx.caller, id));
    return rule === null ? null : (ruleView(rule)[name] ?? null);
  },
  async show(ctx) {
    const rule = await ruleOf(ctx.resource.physicalId, (id) => neutron(ctx.services).securityGroups.getRule(ctx.caller, id));
    return rule === null ? null : ruleView(rule);
  },
};

async function ruleOf(id: string | null, get: (id: string) => Promise<SecurityGroupRuleInfo>): Promise<SecurityGroupRuleInfo | null> {
  return id === null ? null : unlessGone(get(id));
}
