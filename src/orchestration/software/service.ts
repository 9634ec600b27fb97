/**
 * Software configs and deployments (heat/engine/service_software_config.py
 * without the engine's signal handling): the store behind the
 * software_configs/software_deployments API and the `SoftwareConfigStore`
 * the config and deployment resource types use. Every call checks Heat's
 * policy and keeps to the caller's project (another project's record is a
 * 404, an admin sees all).
 */
import { BadRequest, NotFound } from '../../core/errors.js';
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { parseJson } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import type { Authorizer } from '../../core/policy/index.js';
import type { Json, JsonObject } from '../json.js';
import type { SoftwareConfigInput, SoftwareConfigRecord, SoftwareConfigStore, SoftwareDeploymentInput, SoftwareDeploymentRecord } from '../resources/types.js';
import * as store from './store.js';
import { serverDeploymentsMetadata } from '../resources/heat/index.js';

/** Heat's status values of a deployment. */
const DEPLOYMENT_STATUSES = ['IN_PROGRESS', 'COMPLETE', 'FAILED'] as const;

export interface SoftwareService extends SoftwareConfigStore {
  listConfigs(caller: CallerContext, page: { limit?: number; marker?: string; allProjects?: boolean }): Promise<SoftwareConfigRecord[]>;
  listDeployments(caller: CallerContext, serverId?: string): Promise<SoftwareDeploymentRecord[]>;
  serverDeployments(caller: CallerContext, serverId: string): Promise<JsonObject[]>;
  isAdmin(caller: CallerContext): boolean;
}

interface ConfigBody {
  config: Json;
  inputs: JsonObject[];
  outputs: JsonObject[];
  options: JsonObject;
}

function configRecord(row: store.ConfigRow): SoftwareConfigRecord {
  const body = parseJson<ConfigBody>(row.body, { config: '', inputs: [], outputs: [], options: {} });
  return { id: row.id, projectId: row.project_id, name: row.name, group: row.group_name, createdAt: row.created_at, ...body };
}

function deploymentRecord(row: store.DeploymentRow): SoftwareDeploymentRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    configId: row.config_id,
    serverId: row.server_id,
    action: row.action,
    status: toStatus(row.status),
    statusReason: row.status_reason,
    inputValues: parseJson<JsonObject>(row.input_values, {}),
    outputValues: parseJson<JsonObject>(row.output_values, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toStatus(value: string): SoftwareDeploymentRecord['status'] {
  return (DEPLOYMENT_STATUSES as readonly string[]).includes(value) ? (value as SoftwareDeploymentRecord['status']) : 'FAILED';
}

export function softwareService(db: store.SoftwareDb, authz: Authorizer): SoftwareService {
  /** The caller's project for scoping; null (every project) for an admin. */
  const scope = (caller: CallerContext) => (authz.isAdmin(caller) ? null : (caller.project?.id ?? ''));
  const visible = (caller: CallerContext, projectId: string) => scope(caller) === null || scope(caller) === projectId;

  const findConfig = async (caller: CallerContext, id: string) => {
    const row = await store.getConfigRow(db, id);
    if (!row || !visible(caller, row.project_id)) throw new NotFound(`Software config with id ${id} not found`, { type: 'NotFound' });
    return row;
  };
  const findDeployment = async (caller: CallerContext, id: string) => {
    const row = await store.getDeploymentRow(db, id);
    if (!row || !visible(caller, row.project_id)) throw new NotFound(`Deployment with id ${id} not found`, { type: 'NotFound' });
    return row;
  };

  return {
    isAdmin: (caller) => authz.isAdmin(caller),

    async createConfig(caller, config: SoftwareConfigInput) {
      authz.authorize(caller, 'software_configs:create');
      const body: ConfigBody = { config: config.config, inputs: config.inputs, outputs: config.outputs, options: config.options };
      const row = {
        id: uuid(),
        project_id: caller.project?.id ?? '',
        name: config.name,
        group_name: config.group,
        body: JSON.stringify(body),
        created_at: nowIso(),
      };
      await store.insertConfig(db, row);
      return configRecord(row);
    },

    async getConfig(caller, id) {
      authz.authorize(caller, 'software_configs:show');
      return configRecord(await findConfig(caller, id));
    },

    async listConfigs(caller, page) {
      authz.authorize(caller, page.allProjects ? 'software_configs:global_index' : 'software_configs:index');
      let marker: { markerCreatedAt?: string; markerId?: string } = {};
      if (page.marker !== undefined) {
        const row = await findConfig(caller, page.marker);
        marker = { markerCreatedAt: row.created_at, markerId: row.id };
      }
      const rows = await store.listConfigRows(db, page.allProjects ? null : scope(caller), {
        ...marker,
        ...(page.limit !== undefined ? { limit: page.limit } : {}),
      });
      return rows.map(configRecord);
    },

    async deleteConfig(caller, id) {
      authz.authorize(caller, 'software_configs:delete');
      await findConfig(caller, id);
      if (await store.configInUse(db, id)) {
        throw new BadRequest(`Software config with id ${id} can not be deleted as it is referenced.`, { type: 'InvalidRestrictedAction' });
      }
      await store.deleteConfigRow(db, id);
    },

    async createDeployment(caller, deployment: SoftwareDeploymentInput) {
      authz.authorize(caller, 'software_deployments:create');
      await findConfig(caller, deployment.configId);
      const row: store.DeploymentRow = {
        id: uuid(),
        project_id: caller.project?.id ?? '',
        config_id: deployment.configId,
        server_id: deployment.serverId,
        action: deployment.action,
        status: deployment.status,
        status_reason: deployment.statusReason,
        input_values: JSON.stringify(deployment.inputValues),
        output_values: JSON.stringify(deployment.outputValues),
        created_at: nowIso(),
        updated_at: null,
      };
      await store.insertDeployment(db, row);
      return deploymentRecord(row);
    },

    async getDeployment(caller, id) {
      authz.authorize(caller, 'software_deployments:show');
      return deploymentRecord(await findDeployment(caller, id));
    },

    async listDeployments(caller, serverId) {
      authz.authorize(caller, 'software_deployments:index');
      return (await store.listDeploymentRows(db, scope(caller), serverId)).map(deploymentRecord);
    },

    async updateDeployment(caller, id, changes) {
      authz.authorize(caller, 'software_deployments:update');
      await findDeployment(caller, id);
      if (changes.configId !== undefined) await findConfig(caller, changes.configId);
      const set: Parameters<typeof store.updateDeploymentRow>[2] = { updated_at: nowIso() };
      if (changes.configId !== undefined) set.config_id = changes.configId;
      if (changes.serverId !== undefined) set.server_id = changes.serverId;
      if (changes.action !== undefined) set.action = changes.action;
      if (changes.status !== undefined) set.status = changes.status;
      if (changes.statusReason !== undefined) set.status_reason = changes.statusReason;
      if (changes.inputValues !== undefined) set.input_values = JSON.stringify(changes.inputValues);
      if (changes.outputValues !== undefined) set.output_values = JSON.stringify(changes.outputValues);
      await store.updateDeploymentRow(db, id, set);
      return deploymentRecord(await findDeployment(caller, id));
    },

    async deleteDeployment(caller, id) {
      authz.authorize(caller, 'software_deployments:delete');
      await findDeployment(caller, id);
      await store.deleteDeploymentRow(db, id);
    },

    async serverDeployments(caller, serverId) {
      authz.authorize(caller, 'software_deployments:metadata');
      const deployments = await store.listDeploymentRows(db, scope(caller), serverId);
      const configs = await Promise.all(deployments.map(async (deployment) => (await store.getConfigRow(db, deployment.config_id)) ?? null));
      return serverDeploymentsMetadata(configs.map((row) => (row === null ? null : configRecord(row))));
    },
  };
}
