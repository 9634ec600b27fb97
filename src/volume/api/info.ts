/**
 * Service-wide resources: `os-quota-sets`, `limits`, `os-availability-zone`,
 * `os-services`, `scheduler-stats/get_pools` and `extensions`.
 */
import type { FastifyInstance } from 'fastify';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { parseBool } from './body.js';
import { begin, type VolumeApi } from './context.js';
import { quotaClassUpdate, quotaUpdate } from './schemas.js';
import { cinderTime } from './views.js';
import { DRIVER_FACTS } from '../service/capabilities.js';
import { errors, notFound } from '../errors.js';

type TenantParams = { Params: { project_id: string; tenant: string } };
type ClassParams = { Params: { project_id: string; class: string } };

/** The extensions Cinder lists (an alias per API extension it loads); `Hosts` is what Tempest looks for. */
const EXTENSIONS: Array<[alias: string, name: string, description: string]> = [
  ['os-hosts', 'Hosts', 'Admin-only host administration.'],
  ['os-availability-zone', 'AvailabilityZones', 'Describe Availability Zones.'],
  ['os-quota-sets', 'Quotas', 'Quota management support.'],
  ['os-services', 'Services', 'Services support.'],
  ['capabilities', 'Capabilities', 'Capabilities support.'],
  ['os-vol-host-attr', 'VolumeHostAttribute', 'Expose host as an attribute of a volume.'],
  ['os-vol-tenant-attr', 'VolumeTenantAttribute', 'Expose the internal project_id as an attribute of a volume.'],
  ['os-vol-mig-status-attr', 'VolumeMigStatusAttribute', 'Expose migration_status as an attribute of a volume.'],
  ['os-vol-image-meta', 'VolumeImageMetadata', 'Show image metadata associated with the volume.'],
  ['os-volume-actions', 'VolumeActions', 'Enable volume actions.'],
  ['os-admin-actions', 'AdminActions', 'Enable admin actions.'],
  ['os-extended-snapshot-attributes', 'ExtendedSnapshotAttributes', 'Extended SnapshotAttributes support.'],
  ['os-snapshot-actions', 'SnapshotActions', 'Enable snapshot manager actions.'],
  ['os-types-manage', 'TypesManage', 'Types manage support.'],
  ['os-types-extra-specs', 'TypesExtraSpecs', 'Type extra specs support.'],
  ['os-volume-type-access', 'VolumeTypeAccess', 'Volume type access support.'],
  ['qos-specs', 'Qos_specs_manage', 'QoS specs support.'],
  ['scheduler-stats', 'Scheduler_stats', 'Scheduler stats support.'],
  ['os-used-limits', 'UsedLimits', 'Provide data on limited resources that are being used.'],
];
const EXTENSIONS_UPDATED = '2013-04-18T00:00:00+00:00';

export function infoRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { quotas, info } = api.ops;
  const base = '/v3/:project_id';

  app.get<TenantParams>(`${base}/os-quota-sets/:tenant`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const usage = querySingle(request.query as QueryInput, 'usage');
    const set = await quotas.show(call.ctx, request.params.tenant, usage !== undefined && parseBool(usage, 'usage'));
    return { quota_set: { id: request.params.tenant, ...set } };
  });
  app.get<TenantParams>(`${base}/os-quota-sets/:tenant/defaults`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { quota_set: { id: request.params.tenant, ...(await quotas.defaults(call.ctx, request.params.tenant)) } };
  });
  app.put<TenantParams & { Body: { quota_set: Record<string, unknown> } }>(
    `${base}/os-quota-sets/:tenant`,
    { schema: { body: quotaUpdate } },
    async (request, reply) => {
      const call = await begin(api, request, reply);
      return { quota_set: await quotas.update(call.ctx, request.params.tenant, request.body.quota_set) };
    },
  );
  app.delete<TenantParams>(`${base}/os-quota-sets/:tenant`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await quotas.reset(call.ctx, request.params.tenant);
    return reply.code(200).send();
  });

  app.get<ClassParams>(`${base}/os-quota-class-sets/:class`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { quota_class_set: { id: request.params.class, ...(await quotas.classLimits(call.ctx)) } };
  });
  app.put<ClassParams & { Body: { quota_class_set: Record<string, unknown> } }>(
    `${base}/os-quota-class-sets/:class`,
    { schema: { body: quotaClassUpdate } },
    async (request, reply) => {
      const call = await begin(api, request, reply);
      if (request.params.class !== 'default') throw errors.badRequest('Nimbus keeps only the default quota class; projects use no other.');
      return { quota_class_set: await quotas.updateDefaults(call.ctx, request.body.quota_class_set) };
    },
  );

  app.get(`${base}/limits`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { limits: { rate: [], absolute: await info.limits(call.ctx) } };
  });

  app.get(`${base}/os-availability-zone`, async (request, reply) => {
    await begin(api, request, reply);
    return { availabilityZoneInfo: info.availabilityZones().map((zoneName) => ({ zoneName, zoneState: { available: true } })) };
  });

  app.get(`${base}/scheduler-stats/get_pools`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const detail = querySingle(request.query as QueryInput, 'detail');
    const pools = (await info.pools(call.ctx)).map((p) => ({
      name: p.backend.host,
      ...(detail !== undefined && parseBool(detail, 'detail')
        ? {
            capabilities: {
              volume_backend_name: p.backend.driver.backendName,
              pool_name: p.backend.driver.backendName,
              total_capacity_gb: p.totalCapacityGb,
              free_capacity_gb: p.freeCapacityGb,
              allocated_capacity_gb: p.allocatedCapacityGb,
              provisioned_capacity_gb: p.allocatedCapacityGb,
              thin_provisioning_support: p.backend.driver.capabilities().thinProvisioning,
              thick_provisioning_support: false,
              multiattach: p.backend.driver.capabilities().multiattach,
              reserved_percentage: 0,
              ...DRIVER_FACTS,
              timestamp: cinderTime(new Date().toISOString()),
            },
          }
        : {}),
    }));
    return { pools };
  });

  app.get<{ Params: { project_id: string; host: string } }>(`${base}/capabilities/:host`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const backend = info.backend(call.ctx, request.params.host);
    if (!backend) throw notFound.service(request.params.host);
    return {
      namespace: `OS::Storage::Capabilities::${request.params.host}`,
      ...DRIVER_FACTS,
      volume_backend_name: backend.driver.backendName,
      pool_name: null,
      display_name: null,
      description: null,
      visibility: null,
      replication_targets: [],
      // The standard capability a Nimbus driver can have; Cinder's drivers describe theirs the same way.
      properties: backend.driver.capabilities().thinProvisioning
        ? { thin_provisioning: { title: 'Thin Provisioning', description: 'Sets thin provisioning.', type: 'boolean' } }
        : {},
    };
  });

  app.get(`${base}/extensions`, async (request, reply) => {
    await begin(api, request, reply);
    return {
      extensions: EXTENSIONS.map(([alias, name, description]) => ({ alias, name, description, updated: EXTENSIONS_UPDATED, links: [] })),
    };
  });
}
