/**
 * Failures of Heat's own resource types, as Heat raises them. A failed
 * create/update/delete becomes the resource's status reason, which Heat
 * writes as `<exception class>: resources.<name>: <message>`; the engine
 * builds that prefix from `type`, so the message here is Heat's bare text.
 */
import { BadRequest, NimbusError } from '../../../core/errors.js';

/** An action of a resource failed (Heat's exception.Error, ValueError, ...); never an HTTP answer of its own. */
export class ResourceFailure extends NimbusError {
  readonly status = 500;
}

export const heatResourceErrors = {
  /** OS::Heat::TestResource with `fail: true`. */
  testResourceFailed: (name: string) => new ResourceFailure(`Test Resource failed ${name}`, { type: 'ValueError' }),
  /** A wait condition whose handle saw a FAILURE signal: the failure reasons joined. */
  waitConditionFailure: (reasons: string[]) => new ResourceFailure(reasons.join(';'), { type: 'WaitConditionFailure' }),
  /** A wait condition that timed out with `received` of `count` success signals. */
  waitConditionTimeout: (reasons: string[], count: number) =>
    new ResourceFailure(reasons.length > 0 ? `${reasons.length} of ${count} received - ${reasons.join(';')}` : `${reasons.length} of ${count} received`, {
      type: 'WaitConditionTimeout',
    }),
  notAHandle: (name: string) => new ResourceFailure(`${name} is not a valid wait condition handle.`, { type: 'ValueError' }),
  signalMetadataInvalid: () => new BadRequest('Metadata format invalid', { type: 'ValueError' }),
  deploymentFailed: (reason: string) => new ResourceFailure(`Deployment to server failed: ${reason}`, { type: 'Error' }),
  userParameterMissing: (key: string) => new BadRequest(`The Parameter (${key}) was not provided.`, { type: 'UserParameterMissing' }),
  stackValidation: (message: string) => new BadRequest(message, { type: 'StackValidationFailed' }),
  /** A nested stack's output that failed to evaluate, read through its parent resource (a template resource's attribute). */
  templateOutputError: (resource: string, attribute: string, message: string) =>
    new ResourceFailure(`Error in ${resource} output ${attribute}: ${message}`, { type: 'TemplateOutputError' }),
  /** An attribute a type does not have (Heat's InvalidTemplateAttribute). */
  invalidAttribute: (resource: string, key: string) =>
    new BadRequest(`The Referenced Attribute (${resource} ${key}) is incorrect.`, { type: 'InvalidTemplateAttribute' }),
} as const;
