/**
 * `/{project_id}/software_configs` and `/software_deployments`
 * (heat/api/openstack/v1/software_configs.py, software_deployments.py),
 * with the engine's formatting (format_software_config, format_software_deployment).
 */
import type { FastifyInstance } from 'fastify';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { SoftwareDeploymentInput } from '../resources/types.js';
import { configView, deploymentView } from '../software/views.js';
import { begin, type HeatApi } from './context.js';
import { boolParam, intParam, queryValues, single } from './params.js';
import { bodyObject } from './stack-body.js';

const text = (value: Json | undefined): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
const objects = (value: Json | undefined): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const object = (value: Json | undefined): JsonObject => (isJsonObject(value) ? value : {});
const STATUSES: ReadonlyArray<SoftwareDeploymentInput['status']> = ['IN_PROGRESS', 'COMPLETE', 'FAILED'];

/** The deployment fields a create or update body sets (Heat ignores the ones given as null). */
function deploymentFields(body: JsonObject): Partial<SoftwareDeploymentInput> {
  const fields: Partial<SoftwareDeploymentInput> = {};
  const configId = text(body['config_id']);
  if (configId !== undefined) fields.configId = configId;
  const serverId = text(body['server_id']);
  if (serverId !== undefined) fields.serverId = serverId;
  const action = text(body['action']);
  if (action !== undefined) fields.action = action;
  const status = text(body['status']);
  if (status !== undefined) fields.status = STATUSES.find((known) => known === status) ?? 'FAILED';
  const reason = text(body['status_reason']);
  if (reason !== undefined) fields.statusReason = reason;
  if (isJsonObject(body['input_values'])) fields.inputValues = body['input_values'];
  if (isJsonObject(body['output_values'])) fields.outputValues = body['output_values'];
  return fields;
}

export function softwareRoutes(app: FastifyInstance, api: HeatApi): void {
  const configs = '/v1/:project_id/software_configs';
  const deployments = '/v1/:project_id/software_deployments';
  type ConfigParams = { config_id: string };
  type DeploymentParams = { deployment_id: string };

  app.get(configs, async (request) => {
    const call = await begin(api, request);
    const query = queryValues(request.query);
    const page = {
      allProjects: boolParam(query, 'global_tenant') ?? false,
      ...optional('limit', intParam(query, 'limit')),
      ...optional('marker', single(query, 'marker')),
    };
    const list = await api.software.listConfigs(call.caller, page);
    const includeProject = api.software.isAdmin(call.caller);
    return { software_configs: list.map((config) => configView(config, false, includeProject)) };
  });

  app.post(configs, async (request) => {
    const call = await begin(api, request);
    const body = bodyObject(request.body);
    const config = await api.software.createConfig(call.caller, {
      name: text(body['name']) ?? '',
      group: text(body['group']) ?? 'Heat::Ungrouped',
      config: body['config'] ?? '',
      inputs: objects(body['inputs']),
      outputs: objects(body['outputs']),
      options: object(body['options']),
    });
    return { software_config: configView(config, true) };
  });

  app.get(`${configs}/:config_id`, async (request) => {
    const call = await begin(api, request);
    return { software_config: configView(await api.software.getConfig(call.caller, (request.params as ConfigParams).config_id), true) };
  });

  app.delete(`${configs}/:config_id`, async (request, reply) => {
    const call = await begin(api, request);
    await api.software.deleteConfig(call.caller, (request.params as ConfigParams).config_id);
    return reply.code(204).send();
  });

  app.get(deployments, async (request) => {
    const call = await begin(api, request);
    const list = await api.software.listDeployments(call.caller, single(queryValues(request.query), 'server_id'));
    return { software_deployments: list.map(deploymentView) };
  });

  app.get(`${deployments}/metadata/:server_id`, async (request) => {
    const call = await begin(api, request);
    return { metadata: await api.software.serverDeployments(call.caller, (request.params as { server_id: string }).server_id) };
  });

  app.post(deployments, async (request) => {
    const call = await begin(api, request);
    const fields = deploymentFields(bodyObject(request.body));
    const deployment = await api.software.createDeployment(call.caller, {
      configId: fields.configId ?? '',
      serverId: fields.serverId ?? '',
      action: fields.action ?? 'INIT',
      status: fields.status ?? 'COMPLETE',
      statusReason: fields.statusReason ?? '',
      inputValues: fields.inputValues ?? {},
      outputValues: {},
    });
    return { software_deployment: deploymentView(deployment) };
  });

  app.get(`${deployments}/:deployment_id`, async (request) => {
    const call = await begin(api, request);
    return { software_deployment: deploymentView(await api.software.getDeployment(call.caller, (request.params as DeploymentParams).deployment_id)) };
  });

  app.put(`${deployments}/:deployment_id`, async (request) => {
    const call = await begin(api, request);
    const { serverId: _server, ...changes } = deploymentFields(bodyObject(request.body));
    const deployment = await api.software.updateDeployment(call.caller, (request.params as DeploymentParams).deployment_id, changes);
    return { software_deployment: deploymentView(deployment) };
  });

  app.delete(`${deployments}/:deployment_id`, async (request, reply) => {
    const call = await begin(api, request);
    await api.software.deleteDeployment(call.caller, (request.params as DeploymentParams).deployment_id);
    return reply.code(204).send();
  });
}

/** `{ [key]: value }` when the value is set, else nothing (optional properties stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
