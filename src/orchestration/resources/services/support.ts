/**
 * What every service resource type shares: reaching a service's door, the
 * crash-safe "find what an earlier attempt made" step, tolerating 404s on
 * delete, and reading resolved property values with their JSON types.
 */
import { NimbusError } from '../../../core/errors.js';
import { requiredPeer, type ServiceRegistry } from '../../../core/service-module.js';
import { isJsonObject, type Json, type JsonObject } from '../../json.js';
import type { ResourceContext } from '../types.js';
import { failures } from './errors.js';

type PeerName = 'compute' | 'network' | 'volume' | 'image' | 'object-store' | 'identity' | 'alarming';

/** A service's operations, or a 503 naming it when it is disabled. */
export function door<K extends PeerName>(services: ServiceRegistry, name: K): NonNullable<ServiceRegistry[K]> {
  return requiredPeer(services, name, 'orchestration')();
}

export function isNotFound(error: unknown): boolean {
  return error instanceof NimbusError && error.status === 404;
}

/** The call's answer, or null when the object is gone (404). */
export async function unlessGone<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Runs a delete, treating "already gone" as done. */
export async function deleteUnlessGone(call: Promise<unknown>): Promise<void> {
  await unlessGone(call);
}

/**
 * The name the service-side object gets: the template's, else the
 * resource's stable physical name (so a retried create can find it).
 */
export function objectName(ctx: ResourceContext, given: Json | undefined): string {
  return typeof given === 'string' && given !== '' ? given : ctx.resource.physicalName;
}

/**
 * What an earlier attempt of this create made: the object of the recorded
 * physical id, else (when the name is the generated one, which nobody else
 * uses) the object carrying it. A name from the template proves nothing, so
 * it is not searched for.
 */
export async function earlierAttempt<T>(
  ctx: ResourceContext,
  givenName: Json | undefined,
  lookups: { byId(id: string): Promise<T>; byName?(name: string): Promise<T | null> },
): Promise<T | null> {
  const { physicalId, physicalName } = ctx.resource;
  if (physicalId !== null) return unlessGone(lookups.byId(physicalId));
  if (lookups.byName === undefined || objectName(ctx, givenName) !== physicalName) return null;
  return unlessGone(lookups.byName(physicalName));
}

export function text(properties: JsonObject, key: string): string | undefined {
  const value = properties[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function integer(properties: JsonObject, key: string): number | undefined {
  const value = properties[key];
  return typeof value === 'number' ? value : undefined;
}

export function flag(properties: JsonObject, key: string): boolean | undefined {
  const value = properties[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function list(properties: JsonObject, key: string): Json[] {
  const value = properties[key];
  return Array.isArray(value) ? value : [];
}

/** A list property whose items are maps (other items are ignored: the schema has checked them). */
export function maps(properties: JsonObject, key: string): JsonObject[] {
  return list(properties, key).filter(isJsonObject);
}

export function map(properties: JsonObject, key: string): JsonObject | undefined {
  const value = properties[key];
  return isJsonObject(value) ? value : undefined;
}

/** A map of strings, as services keep metadata: other values as their JSON text, as Heat sends them. */
export function stringMap(properties: JsonObject, key: string): Record<string, string> | undefined {
  const value = map(properties, key);
  if (value === undefined) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

export function strings(properties: JsonObject, key: string): string[] {
  return list(properties, key).filter((item): item is string => typeof item === 'string');
}

/** A typed view as JSON (for `show` and map attributes): undefined fields dropped. */
export function asJson(value: object): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

const POLL_MS = 100;

/**
 * Reads the object until `done` says it is (true) or cannot become (it
 * throws) what the caller waits for. Stops when the engine aborts the
 * call; the engine's stack timeout bounds the wait.
 */
export async function pollUntil<T>(ctx: ResourceContext, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    if (ctx.signal.aborted) throw failures.cancelled();
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
