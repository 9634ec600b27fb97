/** Software configs and deployments as Heat shows them (heat/engine/api.py's format_software_config and format_software_deployment). */
import type { JsonObject } from '../json.js';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from '../resources/types.js';

/** Heat's isotime: seconds precision, `Z`. */
function isoTime(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function configView(config: SoftwareConfigRecord, detail: boolean, includeProject = false): JsonObject {
  const view: JsonObject = { id: config.id, name: config.name, group: config.group, creation_time: isoTime(config.createdAt) };
  if (detail) Object.assign(view, { config: config.config, inputs: config.inputs, outputs: config.outputs, options: config.options });
  if (includeProject) view['project'] = config.projectId;
  return view;
}

export function deploymentView(deployment: SoftwareDeploymentRecord): JsonObject {
  const view: JsonObject = {
    id: deployment.id,
    server_id: deployment.serverId,
    input_values: deployment.inputValues,
    output_values: deployment.outputValues,
    action: deployment.action,
    status: deployment.status,
    status_reason: deployment.statusReason,
    config_id: deployment.configId,
    creation_time: isoTime(deployment.createdAt),
  };
  if (deployment.updatedAt !== null) view['updated_time'] = isoTime(deployment.updatedAt);
  return view;
}
