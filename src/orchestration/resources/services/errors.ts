/**
 * Heat's failures of a service object that will not become usable
 * (heat/common/exception.py: ResourceInError, ResourceUnknownStatus), with
 * Heat's wording; the engine reports them as the resource's status reason.
 */
import { NimbusError } from '../../../core/errors.js';

/** A HeatException: Heat answers 500 when one reaches the API. */
class HeatFailure extends NimbusError {
  readonly status = 500;
}

export const failures = {
  inError: (status: string, reason: string) => new HeatFailure(`Went to status ${status} due to "${reason}"`, { type: 'ResourceInError' }),
  unknownStatus: (result: string, status: string, reason: string) =>
    new HeatFailure(`${result} - Unknown status ${status} due to "${reason}"`, { type: 'ResourceUnknownStatus' }),
  /** heat.common.exception.Error: a plain message (a volume backup's fail_reason). */
  plain: (message: string) => new HeatFailure(message, { type: 'Error' }),
  /** The operation was cancelled (the engine aborted this worker's call). */
  cancelled: () => new HeatFailure('Operation cancelled', { type: 'OperationCancelled' }),
};
