/**
 * OS::Heat::SoftwareDeploymentGroup and StructuredDeploymentGroup (and
 * their deprecated, hidden names SoftwareDeployments and
 * StructuredDeployments): one deployment per entry of `servers`, named by
 * the entry's key, in a nested stack. `deploy_stdouts`, `deploy_stderrs`
 * and `deploy_status_codes` (and any deployment attribute) answer a map
 * of entry name to the member's value.
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin, SupportStatus } from '../types.js';
import { applyMembers, groupTemplate, memberAttrs, memberNames, selectPath, zipMap } from './group-members.js';
import { deploymentProperties, structuredProperties, validateTransport } from './software-deployment.js';

const MEMBER_ATTRIBUTES: Record<string, string> = {
  deploy_stdouts: 'deploy_stdout',
  deploy_stderrs: 'deploy_stderr',
  deploy_status_codes: 'deploy_status_code',
};

function definitions(props: JsonObject, memberType: string): Array<[string, JsonObject]> {
  const { servers, ...rest } = props;
  const shared = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null));
  const byName = isJsonObject(servers ?? null) ? (servers as JsonObject) : {};
  return Object.entries(byName).map(([name, server]) => [name, { type: memberType, properties: { ...shared, server } }]);
}

async function groupAttribute(ctx: ResourceContext, key: string, path: Json[]): Promise<Json> {
  const names = memberNames(ctx);
  const values = zipMap(names, await memberAttrs(ctx, names, [MEMBER_ATTRIBUTES[key] ?? key]));
  return selectPath(values, path);
}

function deploymentGroupType(type: string, memberType: string, structured: boolean, supportStatus: SupportStatus): ResourcePlugin {
  const servers: PropertySchema = {
    type: 'map',
    description:
      'A map of names and server IDs to apply configuration to. The name is arbitrary and is used as the Heat resource name for the corresponding deployment.',
    updateAllowed: true,
    required: true,
  };
  return {
    type,
    description: 'This resource associates a group of servers with some configuration.',
    properties: { servers, ...deploymentProperties, ...(structured ? structuredProperties : {}) },
    attributes: {
      deploy_stdouts: { description: 'A map of Nova names and captured stdouts from the configuration execution to each server.', type: 'map' },
      deploy_stderrs: { description: 'A map of Nova names and captured stderrs from the configuration execution to each server.', type: 'map' },
      deploy_status_codes: { description: 'A map of Nova names and returned status code from the configuration execution.', type: 'map' },
    },
    dynamicAttributes: true,
    supportStatus,
    validate: validateTransport,
    nestedTemplate: (props) => ({ template: groupTemplate(definitions(props, memberType)), parameters: {} }),
    create: (ctx, props) => applyMembers(ctx, definitions(props, memberType)),
    update: (ctx, change) => applyMembers(ctx, definitions(change.properties, memberType)),
    delete: (ctx) => ctx.nested.delete(),
    suspend: (ctx) => ctx.nested.suspend(),
    resume: (ctx) => ctx.nested.resume(),
    resolveAttribute: (ctx, name) => groupAttribute(ctx, name, []),
    resolveAttributePath: groupAttribute,
  };
}

const hidden = (replacement: string): SupportStatus => ({ status: 'HIDDEN', version: '7.0.0', message: `Please use ${replacement} instead.` });

export const softwareDeploymentGroup = deploymentGroupType('OS::Heat::SoftwareDeploymentGroup', 'OS::Heat::SoftwareDeployment', false, {
  status: 'SUPPORTED',
  version: '5.0.0',
});
export const softwareDeployments = deploymentGroupType(
  'OS::Heat::SoftwareDeployments',
  'OS::Heat::SoftwareDeployment',
  false,
  hidden('OS::Heat::SoftwareDeploymentGroup'),
);
export const structuredDeploymentGroup = deploymentGroupType('OS::Heat::StructuredDeploymentGroup', 'OS::Heat::StructuredDeployment', true, {
  status: 'SUPPORTED',
  version: '5.0.0',
});
export const structuredDeployments = deploymentGroupType(
  'OS::Heat::StructuredDeployments',
  'OS::Heat::StructuredDeployment',
  true,
  hidden('OS::Heat::StructuredDeploymentGroup'),
);
