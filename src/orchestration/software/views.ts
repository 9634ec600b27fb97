/**
 * Software configs and deployments as Heat shows them (heat/engine/api.py's
 * format_software_config and format_software_deployment); a config in full
 * is the heat resources room's view, which the config resources show too.
 */
import type { JsonObject } from '../json.js';
import { softwareConfigView } from '../resources/heat/index.js';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from '../resources/types.js';

/** Heat's isotime: seconds precision, `Z`. */
function isoTime(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A config in full (`detail`), or as the list shows it (with its project for an admin). */
export function configView(config: SoftwareConfigRecord, detail: boolean, includeProject = false): JsonObject {
  if (detail) return softwareConfigView(config);
  const view: JsonObject = { id: config.id, name: config.name, group: config.group, creation_time: isoTime(config.createdAt) };
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
