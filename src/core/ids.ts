/** Identifiers in the forms OpenStack uses. */
import { randomBytes, randomUUID } from 'node:crypto';

/** Keystone-style id: a UUID4 as 32 hex digits without dashes. */
export function hexId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Nova/Neutron/Glance-style id: a dashed UUID4. */
export function uuid(): string {
  return randomUUID();
}

/** `req-<uuid>`, the form of `x-openstack-request-id`. */
export function requestId(): string {
  return `req-${randomUUID()}`;
}

/** A random secret of `bytes` bytes, URL-safe base64 without padding. */
export function secret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
