/**
 * What the software_deployments side of Heat computes from stored records,
 * kept as pure functions so the deployment resource (a signal to the
 * resource) and the software_deployments API (a PUT, the server metadata
 * route) answer alike:
 * - `deploymentSignalOutcome`: a deployment's new status and outputs after a
 *   signal (non-zero `deploy_status_code` or a set `error_output` fails it);
 * - `serverDeploymentsMetadata`: the `deployments` list a server's metadata
 *   carries (its deployments' configs, sorted by config name).
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from '../types.js';
import { ioList } from './software-io.js';

export const STANDARD_OUTPUTS = ['deploy_stdout', 'deploy_stderr', 'deploy_status_code'] as const;

export interface DeploymentOutcome {
  status: 'COMPLETE' | 'FAILED';
  statusReason: string;
  outputValues: JsonObject;
}

/** Python's str() of a JSON value, as Heat formats reasons. */
function pythonStr(value: Json): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Python truthiness of a status code: 0, '' and null mean "no code". */
function hasFailureCode(code: Json | undefined): boolean {
  if (code === undefined || code === null || code === 0 || code === '' || code === false) return false;
  return pythonStr(code) !== '0';
}

/** The deployment after a signal with `details`; null when it is not waiting for one (Heat ignores the signal then). */
export function deploymentSignalOutcome(deployment: SoftwareDeploymentRecord, derivedConfig: SoftwareConfigRecord, details: Json): DeploymentOutcome | null {
  if (deployment.status !== 'IN_PROGRESS') return null;
  const signal: JsonObject = isJsonObject(details) ? details : {};
  const outputValues: JsonObject = { ...deployment.outputValues };
  const failures: Array<[string, Json]> = [];
  const code = signal.deploy_status_code;
  if (hasFailureCode(code)) failures.push(['deploy_status_code', `Deployment exited with non-zero status code: ${pythonStr(code ?? null)}`]);
  for (const output of ioList(derivedConfig.outputs)) {
    const key = String(output.name);
    if (!(key in signal)) continue;
    outputValues[key] = signal[key] ?? null;
    if (output.error_output === true) failures.push([key, signal[key] ?? null]);
  }
  for (const key of STANDARD_OUTPUTS) outputValues[key] = signal[key] ?? null;
  if (failures.length === 0) return { status: 'COMPLETE', statusReason: 'Outputs received', outputValues };
  return { status: 'FAILED', statusReason: failures.map(([key, reason]) => `${key} : ${pythonStr(reason)}`).join(', '), outputValues };
}

/** A config as Heat's software_configs API shows it in full (`creation_time` without fractions). */
export function softwareConfigView(config: SoftwareConfigRecord): JsonObject {
  return {
    id: config.id,
    name: config.name,
    group: config.group,
    creation_time: new Date(config.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    config: config.config,
    inputs: config.inputs,
    outputs: config.outputs,
    options: config.options,
  };
}

/**
 * A server's `deployments` metadata: the derived configs of its deployments
 * (given in creation order; those whose config is gone left out), stably
 * sorted by config name as Heat sorts them.
 */
export function serverDeploymentsMetadata(configs: Array<SoftwareConfigRecord | null>): JsonObject[] {
  const present = configs.filter((config): config is SoftwareConfigRecord => config !== null);
  return present
    .map((config, index) => ({ config, index }))
    .sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : a.index - b.index))
    .map(({ config }) => softwareConfigView(config));
}
