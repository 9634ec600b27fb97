/** The errors every hypervisor driver raises, by name, so callers can test for them. */
export type DriverErrorCode =
  'DomainNotFound' | 'SpawnFailed' | 'InvalidDomainState' | 'HostNotFound' | 'NotSupported' | 'ActionFailed' | 'MigrationAborted' | 'HostDown';

export class DriverError extends Error {
  constructor(
    readonly code: DriverErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const domainNotFound = (serverId: string) => new DriverError('DomainNotFound', `Domain for instance ${serverId} not found`);
export const hostNotFound = (host: string) => new DriverError('HostNotFound', `Compute host ${host} is not managed by this driver`);
export const invalidDomainState = (serverId: string, action: string, state: string) =>
  new DriverError('InvalidDomainState', `Cannot ${action} instance ${serverId}: its domain is ${state}`);
