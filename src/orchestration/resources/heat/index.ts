/**
 * Heat's own resource types (OS::Heat::*), the `test_constr` custom
 * constraint Heat's TestResource uses, and the helpers other rooms share:
 * template resources (`templateResourceType`) for the engine, and the
 * deployment record computations for the software_deployments API.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomConstraint, ResourcePlugin } from '../types.js';
import { autoScalingGroup } from './autoscaling-group.js';
import { multipartMime } from './multipart-mime.js';
import { noneResource } from './none.js';
import { randomString } from './random-string.js';
import { resourceGroup } from './resource-group.js';
import { scalingPolicy } from './scaling-policy.js';
import { cloudConfig, softwareConfig, structuredConfig } from './software-config.js';
import { softwareDeployment, structuredDeployment } from './software-deployment.js';
import { softwareDeploymentGroup, softwareDeployments, structuredDeploymentGroup, structuredDeployments } from './software-deployment-group.js';
import { stackResource } from './stack.js';
import { testResource } from './test-resource.js';
import { valueResource } from './value.js';
import { waitCondition } from './wait-condition.js';
import { waitConditionHandle } from './wait-condition-handle.js';

export const heatResourceTypes: ResourcePlugin[] = [
  randomString,
  valueResource,
  noneResource,
  testResource,
  waitConditionHandle,
  waitCondition,
  softwareConfig,
  structuredConfig,
  cloudConfig,
  multipartMime,
  softwareDeployment,
  structuredDeployment,
  softwareDeploymentGroup,
  softwareDeployments,
  structuredDeploymentGroup,
  structuredDeployments,
  stackResource,
  resourceGroup,
  autoScalingGroup,
  scalingPolicy,
];

/** Heat's `test_constr`: accepts any value after sleeping that many seconds (TestResource's constraint_prop_secs). */
const testConstraint: CustomConstraint = {
  name: 'test_constr',
  async check(value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds > 0) await sleep(seconds * 1000);
    return null;
  },
};

export const heatCustomConstraints: CustomConstraint[] = [testConstraint];

export { deploymentSignalOutcome, serverDeploymentsMetadata, softwareConfigView } from './deployment-records.js';
export { normalInput, normalOutput } from './software-io.js';
export { templateResourceType } from './template-resource.js';
