/**
 * What a backend reports to the scheduler, and Cinder's CapabilitiesFilter
 * over it: a volume type's extra spec that names a reported capability
 * (unscoped, or under `capabilities:`) must match it, with the operators of
 * Cinder's extra_specs_ops (`<is> True`, `<in> x`, `<or> a <or> b`, `>= 2`,
 * `s== x`, ...) or as a plain string. Keys scoped to another namespace
 * (`RESKEY:availability_zones`, `provisioning:type`) are for other
 * features. Unlike Cinder, an unscoped key no Nimbus backend reports is
 * ignored rather than failing every create of the type: Nimbus's drivers
 * report few capabilities, and types carry keys written for other clouds.
 */
import type { Backend } from './deps.js';

/** What every Nimbus backend says of its driver, in pools, capabilities and scheduling alike (Tempest compares them). */
export const DRIVER_FACTS = { vendor_name: 'Nimbus', driver_version: '1.0.0', storage_protocol: 'local' } as const;

export type Capabilities = Record<string, string | number | boolean>;

export function backendCapabilities(backend: Backend): Capabilities {
  const driver = backend.driver.capabilities();
  return {
    ...DRIVER_FACTS,
    volume_backend_name: backend.driver.backendName,
    thin_provisioning_support: driver.thinProvisioning,
    thick_provisioning_support: false,
    multiattach: driver.multiattach,
    online_extend_support: driver.onlineExtend,
  };
}

export function satisfiesExtraSpecs(capabilities: Capabilities, extraSpecs: Record<string, string>): boolean {
  return Object.entries(extraSpecs).every(([key, requirement]) => {
    const scope = key.split(':');
    if (scope.length > 1 && scope[0] !== 'capabilities') return true;
    const name = scope[scope.length - 1] ?? key;
    const value = capabilities[name];
    return value === undefined || matches(value, requirement);
  });
}

/** One requirement against one reported value. */
export function matches(value: string | number | boolean, requirement: string): boolean {
  const words = requirement.trim().split(/\s+/);
  const [op, ...rest] = words;
  const operand = rest.join(' ');
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  const number = Number(value);
  switch (op) {
    case '<is>':
      return text.toLowerCase() === operand.toLowerCase();
    case '<in>':
      return text.includes(operand);
    case '<all-in>':
      return rest.every((word) => text.includes(word));
    case '<or>':
      return requirement.split('<or>').some((choice) => choice.trim() === text);
    case '=':
      return number >= Number(operand);
    case '==':
      return number === Number(operand);
    case '!=':
      return number !== Number(operand);
    case '>=':
      return number >= Number(operand);
    case '<=':
      return number <= Number(operand);
    case 's==':
      return text === operand;
    case 's!=':
      return text !== operand;
    default:
      return text === requirement;
  }
}
