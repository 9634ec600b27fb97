/**
 * Domain errors shared by every service.
 *
 * service.ts code throws these; it never builds an HTTP body. Each service's
 * plugin renders them in that service's own error format (Keystone
 * `{"error": ...}`, Nova `{"itemNotFound": ...}`, Neutron `{"NeutronError": ...}`),
 * so one error can cross a service boundary and still come out right.
 * Anything that is not a NimbusError is a bug and becomes a logged 500.
 */
export abstract class NimbusError extends Error {
  /** HTTP status the error maps to. */
  abstract readonly status: number;
  /**
   * Optional machine-readable type, used by services whose body carries one
   * (Neutron's `type`, e.g. "IpAddressGenerationFailure").
   */
  readonly type: string | undefined;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(message: string, options: { type?: string; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.type = options.type;
    this.headers = options.headers ?? {};
  }
}

export class BadRequest extends NimbusError {
  readonly status = 400;
}
/** Missing, invalid, expired or revoked credentials. */
export class Unauthorized extends NimbusError {
  readonly status = 401;
}
export class Forbidden extends NimbusError {
  readonly status = 403;
}
export class NotFound extends NimbusError {
  readonly status = 404;
}
export class MethodNotAllowed extends NimbusError {
  readonly status = 405;
}
export class NotAcceptable extends NimbusError {
  readonly status = 406;
}
export class Conflict extends NimbusError {
  readonly status = 409;
}
export class Gone extends NimbusError {
  readonly status = 410;
}
export class LengthRequired extends NimbusError {
  readonly status = 411;
}
export class PreconditionFailed extends NimbusError {
  readonly status = 412;
}
export class PayloadTooLarge extends NimbusError {
  readonly status = 413;
}
export class UnsupportedMediaType extends NimbusError {
  readonly status = 415;
}
export class RangeNotSatisfiable extends NimbusError {
  readonly status = 416;
}
export class Unprocessable extends NimbusError {
  readonly status = 422;
}
export class NotImplemented extends NimbusError {
  readonly status = 501;
}
export class ServiceUnavailable extends NimbusError {
  readonly status = 503;
}

/**
 * A quota would be exceeded. Services map it to the status their API uses
 * (Keystone and Nova 403, Neutron 409, Glance 413), so it carries no status of
 * its own beyond the most common one.
 */
export class QuotaExceeded extends NimbusError {
  readonly status = 403;
  constructor(
    readonly resource: string,
    readonly limit: number,
    readonly inUse: number,
    readonly requested: number,
  ) {
    super(`Quota exceeded for ${resource}: requested ${requested}, but already used ${inUse} of ${limit}.`);
  }
}
