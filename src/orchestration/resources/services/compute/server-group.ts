/** OS::Nova::ServerGroup: a scheduling policy for servers that name it in scheduler_hints (`group`). */
import type { ComputeServerGroup } from '../../../../compute/operations.js';
import type { ResourcePlugin } from '../../types.js';
import { allowed, map, number, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, map as mapOf, strings } from '../support.js';
import { nova } from './lookups.js';

const POLICIES = ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'] as const;
type Policy = (typeof POLICIES)[number];

const serverGroupObject = serviceResource<ComputeServerGroup>(
  {
    type: 'OS::Nova::ServerGroup',
    description: 'A Nova server group.',
    nameProperty: 'name',
    properties: {
      name: string('Server Group name.'),
      policies: stringList('A list of exactly one policy to apply. Defaults to anti-affinity.', {
        default: ['anti-affinity'],
        constraints: [allowed(...POLICIES)],
      }),
      rules: map('Rules for a policy.', {
        schema: { max_server_per_host: number('Maximum servers in a group on a given host. Rule for anti-affinity policy.') },
        supportStatus: { status: 'SUPPORTED', version: '17.0.0' },
      }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => nova(ctx.services).getServerGroup(ctx.caller, id),
    findByName: async (ctx, name) => (await nova(ctx.services).listServerGroups(ctx.caller)).find((g) => g.name === name) ?? null,
    create: (ctx, p, name) => {
      const rules = mapOf(p, 'rules') ?? {};
      const max = rules.max_server_per_host;
      return nova(ctx.services).createServerGroup(ctx.caller, {
        name,
        policy: (strings(p, 'policies')[0] ?? 'anti-affinity') as Policy,
        ...(typeof max === 'number' && { rules: { max_server_per_host: max } }),
      });
    },
    remove: (ctx, id) => nova(ctx.services).deleteServerGroup(ctx.caller, id),
    idOf: (g) => g.id,
    view: (g) => asJson({ id: g.id, name: g.name, policy: g.policy, policies: [g.policy], rules: g.rules, members: g.members, project_id: g.projectId }),
  },
);

export const serverGroupResource: ResourcePlugin = { ...serverGroupObject, supportStatus: { status: 'SUPPORTED', version: '2014.2' } };
