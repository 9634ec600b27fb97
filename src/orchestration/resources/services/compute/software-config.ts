/**
 * A server with user_data_format SOFTWARE_CONFIG gets, in its resource
 * metadata, the `os-collect-config` settings its agent polls with and the
 * `deployments` list that OS::Heat::SoftwareDeployment resources fill (the
 * deployment side adds to the list; the server starts it empty and keeps
 * what is there).
 */
import type { JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';

/**
 * The agent's settings for the transport asked for. No stack-domain user is
 * made for the server (this cloud has none), so the credentials Heat would
 * add (user and password, or access keys) are absent: an agent authenticates
 * as the stack owner's tooling configures it.
 */
function collectConfig(ctx: ResourceContext, transport: string): JsonObject {
  const base = ctx.publicUrl();
  const common = { stack_id: ctx.stack.id, resource_name: ctx.resource.name, project_id: ctx.stack.projectId };
  if (transport === 'POLL_SERVER_HEAT') return { collectors: ['heat', 'local'], heat: { auth_url: `${base}/identity/v3`, ...common } };
  return {
    collectors: ['ec2', 'cfn', 'local'],
    cfn: { metadata_url: `${base}/heat-cfn/v1/`, stack_name: `${ctx.stack.name}/${ctx.stack.id}`, path: `${ctx.resource.name}.Metadata` },
  };
}

export async function publishSoftwareConfigMetadata(ctx: ResourceContext, transport: string): Promise<void> {
  const current = ctx.resource.metadata;
  const deployments = Array.isArray(current.deployments) ? current.deployments : [];
  await ctx.setMetadata({ ...current, 'os-collect-config': collectConfig(ctx, transport), deployments });
}
