/** Keystone names or ids in properties, turned into ids through identity's door. */
import type { IdentityOperations } from '../../../../identity/operations.js';
import type { ServiceRegistry } from '../../../../core/service-module.js';
import { door } from '../support.js';

export function keystone(services: ServiceRegistry): IdentityOperations {
  return door(services, 'identity');
}
