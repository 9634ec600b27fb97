/**
 * Injected driver faults (`/_nimbus/faults`) for any volume backend: the
 * backend's create, extend and export calls pass a fault point first, so a
 * rule fails them (the volume goes to `error` or `error_extending`, an
 * export answers 500) whichever driver a backend uses, the file driver of a
 * default setup as well as the fake.
 */
import { passFaultPoint, type DriverFaultPoint, type DriverFaults } from '../../core/faults.js';
import type { VolumeDriver } from './driver.js';
import { BackendFailed } from './errors.js';

/** The methods a rule reaches: every way of making a volume, extending one, exporting one. */
const FAULT_POINTS: Partial<Record<keyof VolumeDriver, DriverFaultPoint>> = {
  createVolume: 'volume_create',
  cloneVolume: 'volume_create',
  createVolumeFromSnapshot: 'volume_create',
  copyImageToVolume: 'volume_create',
  extendVolume: 'volume_extend',
  exportVolume: 'volume_attach',
};

/** The driver itself (so `instanceof` still tells its kind), its fault points guarded. */
export function withInjectedFaults<D extends VolumeDriver>(driver: D, faults: DriverFaults): D {
  return new Proxy(driver, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const point = FAULT_POINTS[name as keyof VolumeDriver];
      const method = value as (...args: unknown[]) => unknown;
      if (!point) return method.bind(target);
      return async (...args: unknown[]) => {
        await passFaultPoint(faults, { point }, (message) => new BackendFailed(message));
        return method.apply(target, args);
      };
    },
  });
}
