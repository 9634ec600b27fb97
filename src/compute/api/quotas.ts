/** os-quota-sets (show, detail, defaults, update, delete), os-quota-class-sets and /limits, per microversion. */
import type { FastifyInstance } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import { QUOTA_RESOURCES, type QuotaResource } from '../service/deps.js';
import { FILE_QUOTAS, NETWORK_QUOTAS, type QuotaValues } from '../service/quotas.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { withVersionedBody } from './schema.js';
import { updateQuotaClassSet, updateQuotaSet } from './schemas/quotas.js';
import * as v from './validate.js';

/** Limits as a quota update sends them: numbers, or strings of digits. */
type LimitsBody = Partial<Record<QuotaResource, number | string>>;

/** The resources a microversion shows: network proxies go at 2.36, injected files at 2.57. */
function shown(version: Microversion): QuotaResource[] {
  return QUOTA_RESOURCES.filter((r) => {
    if (NETWORK_QUOTAS.includes(r) && atLeast(version, '2.36')) return false;
    if (FILE_QUOTAS.includes(r) && atLeast(version, '2.57')) return false;
    return true;
  });
}

function values(version: Microversion, limits: QuotaValues): Record<string, number> {
  return Object.fromEntries(shown(version).map((r) => [r, limits[r]]));
}

export function quotaRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const userOf = (query: unknown) => v.queryValue(query, 'user_id');

  app.get<{ Params: { project: string } }>(`${V21}/os-quota-sets/:project/defaults`, async (request) => {
    const auth = await api.authenticate(request);
    return { quota_set: { id: request.params.project, ...values(versionOf(request), await ops.quotas.defaults(auth)) } };
  });

  app.get<{ Params: { project: string } }>(`${V21}/os-quota-sets/:project/detail`, async (request) => {
    const auth = await api.authenticate(request);
    userOf(request.query);
    const { limits, usage } = await ops.quotas.show(auth, request.params.project, 'detail');
    const detail = Object.fromEntries(shown(versionOf(request)).map((r) => [r, { limit: limits[r], in_use: usage[r], reserved: 0 }]));
    return { quota_set: { id: request.params.project, ...detail } };
  });

  app.get<{ Params: { project: string } }>(`${V21}/os-quota-sets/:project`, async (request) => {
    const auth = await api.authenticate(request);
    const { limits } = await ops.quotas.show(auth, request.params.project);
    return { quota_set: { id: request.params.project, ...values(versionOf(request), limits) } };
  });

  app.put<{ Params: { project: string }; Body: { quota_set: LimitsBody & { force?: boolean | string } } }>(
    `${V21}/os-quota-sets/:project`,
    withVersionedBody(api, updateQuotaSet),
    async (request) => {
      const auth = await api.authenticate(request);
      const version = versionOf(request);
      const { force, ...limitsBody } = request.body.quota_set;
      const limits = await ops.quotas.update(
        auth,
        request.params.project,
        ops.quotas.parse(limitsBody),
        force === undefined ? false : v.boolean(force, 'force'),
      );
      return { quota_set: values(version, limits) };
    },
  );

  app.delete<{ Params: { project: string } }>(`${V21}/os-quota-sets/:project`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.quotas.reset(auth, request.params.project);
    return reply.code(202).send();
  });

  app.get<{ Params: { name: string } }>(`${V21}/os-quota-class-sets/:name`, async (request) => {
    const auth = await api.authenticate(request);
    return { quota_class_set: { id: request.params.name, ...values(versionOf(request), await ops.quotas.classDefaults(auth, 'show')) } };
  });

  app.put<{ Params: { name: string }; Body: { quota_class_set: LimitsBody } }>(
    `${V21}/os-quota-class-sets/:name`,
    withVersionedBody(api, updateQuotaClassSet),
    async (request) => {
      const auth = await api.authenticate(request);
      const version = versionOf(request);
      // Nova stores only the `default` class's values; others are accepted and ignored (since Train).
      const parsed = ops.quotas.parse(request.body.quota_class_set);
      const limits = request.params.name === 'default' ? await ops.quotas.updateClass(auth, parsed) : await ops.quotas.classDefaults(auth, 'update');
      return { quota_class_set: values(version, limits) };
    },
  );

  app.get(`${V21}/limits`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const { limits, usage } = await ops.quotas.limits(auth, v.queryValue(request.query, 'tenant_id'));
    const absolute: Record<string, number> = {
      maxServerMeta: limits.metadata_items,
      maxTotalInstances: limits.instances,
      maxTotalCores: limits.cores,
      maxTotalRAMSize: limits.ram,
      maxTotalKeypairs: limits.key_pairs,
      maxServerGroups: limits.server_groups,
      maxServerGroupMembers: limits.server_group_members,
      totalInstancesUsed: usage.instances,
      totalCoresUsed: usage.cores,
      totalRAMUsed: usage.ram,
      totalServerGroupsUsed: usage.server_groups,
    };
    if (!atLeast(version, '2.36')) {
      Object.assign(absolute, {
        maxTotalFloatingIps: limits.floating_ips,
        maxSecurityGroups: limits.security_groups,
        maxSecurityGroupRules: limits.security_group_rules,
        totalFloatingIpsUsed: 0,
        totalSecurityGroupsUsed: 0,
      });
    }
    if (!atLeast(version, '2.57')) {
      Object.assign(absolute, {
        maxPersonality: limits.injected_files,
        maxPersonalitySize: limits.injected_file_content_bytes,
        maxImageMeta: limits.metadata_items,
      });
    }
    return { limits: { rate: [], absolute } };
  });
}
