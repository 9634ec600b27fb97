/**
 * Template-level calls of heat-api v1: `/validate`, `/template_versions`
 * (and their functions), `/resource_types` (list, schema, generated
 * template), `/build_info` and the admin's `/services`.
 */
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../json.js';
import { apiErrors } from '../errors/api.js';
import { begin, type HeatApi } from './context.js';
import { boolParam, queryValues, single } from './params.js';
import { bodyObject, requestArguments, requestEnvironment, requestFiles, requestTemplate } from './stack-body.js';
import { userEnvironmentView } from './views.js';

export function templateRoutes(app: FastifyInstance, api: HeatApi): void {
  const base = '/v1/:project_id';

  app.post(`${base}/validate`, async (request) => {
    const call = await begin(api, request);
    const query = queryValues(request.query);
    const body = bodyObject(request.body);
    const template = (await requestTemplate(body, { fetchTemplate: (url) => api.fetchTemplate(url) })) ?? {};
    const ignoreErrors = single(query, 'ignore_errors');
    const environment = requestEnvironment(body, template);
    const result = await api.stacks.validate(call.caller, {
      template,
      files: requestFiles(body),
      ...requestArguments(body, { update: false }),
      ...(environment !== undefined ? { environment } : {}),
      showNested: boolParam(query, 'show_nested') ?? false,
      ...(ignoreErrors !== undefined ? { ignoreErrors: ignoreErrors.split(',') } : {}),
    });
    const view: JsonObject = { Description: result.description, Parameters: result.parameters };
    if (result.parameterGroups !== undefined) view['ParameterGroups'] = result.parameterGroups;
    if (result.environment !== undefined) view['Environment'] = userEnvironmentView(result.environment);
    if (result.nestedParameters !== undefined) view['NestedParameters'] = result.nestedParameters;
    return view;
  });

  app.get(`${base}/template_versions`, async (request) => {
    const call = await begin(api, request);
    api.authorize(call.caller, 'stacks:list_template_versions', { project_id: call.projectId });
    return { template_versions: api.templates.versions() };
  });

  app.get(`${base}/template_versions/:template_version/functions`, async (request) => {
    const call = await begin(api, request);
    api.authorize(call.caller, 'stacks:list_template_functions', { project_id: call.projectId });
    const { template_version } = request.params as { template_version: string };
    const withConditions = boolParam(queryValues(request.query), 'with_condition_func') ?? false;
    return { template_functions: api.templates.functions(template_version, withConditions) };
  });

  app.get(`${base}/resource_types`, async (request) => {
    const call = await begin(api, request);
    const query = queryValues(request.query);
    const withDescription = boolParam(query, 'with_description') ?? false;
    const filter = {
      withDescription,
      ...definedEntries({ name: single(query, 'name'), version: single(query, 'version'), supportStatus: single(query, 'support_status') }),
    };
    const types = await api.stacks.resourceTypes(call.caller, filter);
    return {
      resource_types: withDescription ? types.map((type) => ({ resource_type: type.type, description: type.description })) : types.map((type) => type.type),
    };
  });

  app.get(`${base}/resource_types/:type_name`, async (request) => {
    const call = await begin(api, request);
    const { type_name } = request.params as { type_name: string };
    return api.stacks.resourceTypeSchema(call.caller, type_name);
  });

  app.get(`${base}/resource_types/:type_name/template`, async (request) => {
    const call = await begin(api, request);
    const { type_name } = request.params as { type_name: string };
    const given = single(queryValues(request.query), 'template_type') ?? 'cfn';
    const templateType = given.toLowerCase();
    if (templateType !== 'cfn' && templateType !== 'hot') throw apiErrors.templateType(given);
    return api.stacks.resourceTypeTemplate(call.caller, type_name, templateType);
  });

  app.get(`${base}/build_info`, async (request) => {
    const call = await begin(api, request);
    api.authorize(call.caller, 'build_info:build_info', { project_id: call.projectId });
    return api.buildInfo();
  });

  app.get(`${base}/services`, async (request) => {
    const call = await begin(api, request);
    api.authorize(call.caller, 'service:index', { project_id: call.projectId });
    return { services: api.engines() };
  });
}

/** The entries whose value is set (optional properties stay absent rather than undefined). */
function definedEntries<T extends Record<string, string | undefined>>(entries: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}
