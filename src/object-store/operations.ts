/**
 * The object store's one public door (`deps.services['object-store']`):
 * containers and whole objects in the caller's account, `AUTH_<project id>`,
 * for Heat's OS::Swift::Container and services that keep data for a user.
 * Every call takes the caller's CallerContext and applies Swift's
 * keystoneauth rule (proxy/ownership.ts): the project's operator roles
 * (member, admin) and the reseller admin own the account; reader roles may
 * only read (get/list calls); anyone else gets 403. Swift's constraints
 * (name lengths, metadata limits) and the container and account quotas hold
 * as through the proxy (413 "Upload exceeds quota."). Failures are Swift's
 * statuses as NimbusErrors (404, 409 for a non-empty container).
 *
 * `service` is the explicit service-side variant Cinder's backups use: the
 * volume service writes in the account it names (the backup's project) as
 * a service with Swift's reseller role would, without the ownership check
 * and without quotas, because a backup task runs long after its caller's
 * token and the backup's own quota is Cinder's.
 */
import type { CallerContext } from '../core/context.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../core/errors.js';
import { STANDARD_BODY } from './errors.js';
import { checkContainerName, checkMetadata, checkObjectName, mergedMetadata } from './proxy/constraints.js';
import type { ObjectOps } from './proxy/object-ops.js';
import { accountRight, type AccountRoles } from './proxy/ownership.js';
import { newTimestamp } from './proxy/timestamp.js';
import type { ListingQuery } from './storage/contract.js';

/** A container's settings: user metadata (X-Container-Meta-*, names without the prefix) and its ACLs. */
export interface ContainerSettings {
  metadata?: Record<string, string>;
  /** X-Container-Read, e.g. `.r:*,.rlistings` (public) or `project:user`. */
  readAcl?: string;
  /** X-Container-Write. */
  writeAcl?: string;
}

export interface ContainerView {
  name: string;
  objectCount: number;
  bytesUsed: number;
  metadata: Record<string, string>;
  /** Empty strings when unset. */
  readAcl: string;
  writeAcl: string;
}

export interface ObjectView {
  name: string;
  size: number;
  /** MD5 of the content, hex. */
  etag: string;
  contentType: string;
}

export interface PutObjectOptions {
  contentType?: string;
  /** X-Object-Meta-*, names without the prefix. */
  metadata?: Record<string, string>;
}

export interface ObjectStoreOperations {
  /**
   * Creates the container (or, when it exists, sets the given metadata and
   * ACLs on it, as Swift's PUT answering 202); true when it was created.
   * Idempotent. Owner only. 400 for metadata past Swift's limits, nothing written.
   */
  createContainer(auth: CallerContext, name: string, settings?: ContainerSettings): Promise<boolean>;
  /** The container with its counts, metadata and ACLs; 404 when missing. Read only. */
  getContainer(auth: CallerContext, name: string): Promise<ContainerView>;
  /** The account's containers, by name (`prefix` filters), with their counts. Read only. */
  listContainers(auth: CallerContext, prefix?: string): Promise<Array<{ name: string; objectCount: number; bytesUsed: number }>>;
  /** Deletes an empty container: 404 when missing, 409 (nothing changed) while it holds objects. Owner only. */
  deleteContainer(auth: CallerContext, name: string): Promise<void>;
  /**
   * Stores `data` as the object, replacing it whole; the container must
   * exist (404). The container and account quotas are held for the upload:
   * past them it is 413 and the old object stays. Idempotent for equal data. Owner only.
   */
  putObject(auth: CallerContext, container: string, name: string, data: Buffer, options?: PutObjectOptions): Promise<ObjectView>;
  /** The object's bytes and description; 404 when missing or expired. Read only. */
  getObject(auth: CallerContext, container: string, name: string): Promise<{ object: ObjectView; data: Buffer; metadata: Record<string, string> }>;
  /** Deletes the object; 404 when it was not there (as Swift). Owner only. */
  deleteObject(auth: CallerContext, container: string, name: string): Promise<void>;
  /** The container's objects, by name (`prefix` filters); 404 for a missing container. Read only. */
  listObjects(auth: CallerContext, container: string, prefix?: string): Promise<ObjectView[]>;
  /** The service-side variant (see the file comment). */
  service: ServiceObjectStore;
}

/** Whole objects in an account the calling service names; no ownership check, no quotas. */
export interface ServiceObjectStore {
  /** Creates the container when missing; idempotent. */
  ensureContainer(account: string, container: string): Promise<void>;
  /** Stores `data` as the object (replacing it whole); the container must exist. */
  put(account: string, container: string, name: string, data: Buffer): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(account: string, container: string, name: string): Promise<Buffer | null>;
  /** Deletes the object; a missing one is success. */
  delete(account: string, container: string, name: string): Promise<void>;
  /** Object names starting with `prefix`, sorted. */
  list(account: string, container: string, prefix: string): Promise<string[]>;
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    'object-store'?: ObjectStoreOperations;
  }
}

/** Listing pages as the proxy's limit; calls here gather every page. */
const PAGE = 10_000;

const listing = (prefix: string, marker: string): ListingQuery => ({ prefix, delimiter: null, marker, endMarker: '', limit: PAGE, reverse: false });

/** Every row of a paged listing, following the marker. */
async function allRows<Row extends { name: string }>(page: (marker: string) => Promise<Array<{ row: Row } | { subdir: string }>>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let marker = ''; ;) {
    const entries = await page(marker);
    for (const entry of entries) if ('row' in entry) rows.push(entry.row);
    if (entries.length < PAGE) return rows;
    marker = rows[rows.length - 1]?.name ?? '';
  }
}

async function readAll(ops: ObjectOps, where: { account: string; container: string; object: string }) {
  const handle = await ops.open(where);
  if (!handle) return null;
  try {
    const chunks: Buffer[] = [];
    if (handle.metadata.size > 0) for await (const chunk of handle.stream(0, handle.metadata.size - 1)) chunks.push(chunk as Buffer);
    return { metadata: handle.metadata, data: Buffer.concat(chunks) };
  } finally {
    await handle.close();
  }
}

function serviceObjectStore(ops: ObjectOps): ServiceObjectStore {
  return {
    async ensureContainer(account, container) {
      if (!(await ops.containers.info(account, container))) await ops.containers.create(account, container, newTimestamp(), {});
    },
    async put(account, container, name, data) {
      await ops.store({
        where: { account, container, object: name },
        body: [data],
        contentType: 'application/octet-stream',
        headers: {},
        system: {},
        expectedEtag: null,
        declaredSize: data.length,
        enforceQuotas: false,
      });
    },
    async get(account, container, name) {
      return (await readAll(ops, { account, container, object: name }))?.data ?? null;
    },
    async delete(account, container, name) {
      await ops.remove({ account, container, object: name });
    },
    async list(account, container, prefix) {
      const rows = await allRows((marker) => ops.containers.list(account, container, listing(prefix, marker)));
      return rows.map((row) => row.name);
    },
  };
}

/** `X-<kind>-Meta-<name>` headers from plain names. */
function metaHeaders(kind: 'container' | 'object', metadata: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-${kind}-meta-${name.toLowerCase()}`, value]));
}

function userMetadata(kind: 'container' | 'object', stored: Record<string, string>): Record<string, string> {
  const prefix = `x-${kind}-meta-`;
  return Object.fromEntries(
    Object.entries(stored)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, value]) => [name.slice(prefix.length), value]),
  );
}

function checkContainer(name: string): void {
  checkContainerName(name);
  if (name === '' || name.includes('/')) throw new BadRequest('Invalid container name');
}

export function objectStoreOperations(ops: ObjectOps, roles: AccountRoles): ObjectStoreOperations {
  /** The caller's account, once Swift's rule lets it `read` or write there. */
  const account = (auth: CallerContext, reading: boolean): string => {
    const project = auth.project?.id ?? null;
    if (project === null || accountRight(roles, auth, project, reading) === null) throw new Forbidden(STANDARD_BODY);
    return `AUTH_${project}`;
  };
  const existing = async (accountName: string, container: string) => {
    const info = await ops.containers.info(accountName, container);
    if (!info) throw new NotFound(STANDARD_BODY);
    return info;
  };
  const objectView = (name: string, m: { size: number; etag: string; contentType: string }): ObjectView => ({
    name,
    size: m.size,
    etag: m.etag,
    contentType: m.contentType,
  });

  return {
    async createContainer(auth, name, settings = {}) {
      const where = account(auth, false);
      checkContainer(name);
      const updates: Record<string, string> = {
        ...metaHeaders('container', settings.metadata),
        ...(settings.readAcl !== undefined && { 'x-container-read': settings.readAcl }),
        ...(settings.writeAcl !== undefined && { 'x-container-write': settings.writeAcl }),
      };
      checkMetadata(updates, 'container');
      const stored = await ops.containers.info(where, name);
      checkMetadata(mergedMetadata(stored?.metadata ?? {}, updates), 'container');
      return ops.containers.create(where, name, newTimestamp(), updates);
    },
    async getContainer(auth, name) {
      const info = await existing(account(auth, true), name);
      return {
        name,
        objectCount: info.objectCount,
        bytesUsed: info.bytesUsed,
        metadata: userMetadata('container', info.metadata),
        readAcl: info.metadata['x-container-read'] ?? '',
        writeAcl: info.metadata['x-container-write'] ?? '',
      };
    },
    async listContainers(auth, prefix = '') {
      const where = account(auth, true);
      const rows = await allRows((marker) => ops.accounts.list(where, listing(prefix, marker)));
      return rows.map((row) => ({ name: row.name, objectCount: row.objectCount, bytesUsed: row.bytesUsed }));
    },
    async deleteContainer(auth, name) {
      const result = await ops.containers.delete(account(auth, false), name, newTimestamp());
      if (result === 'missing') throw new NotFound(STANDARD_BODY);
      if (result === 'not-empty') throw new Conflict(STANDARD_BODY);
    },
    async putObject(auth, container, name, data, options = {}) {
      const where = account(auth, false);
      checkObjectName(name);
      await existing(where, container);
      const headers = metaHeaders('object', options.metadata);
      checkMetadata(headers, 'object');
      const stored = await ops.store({
        where: { account: where, container, object: name },
        body: [data],
        contentType: options.contentType ?? 'application/octet-stream',
        headers,
        system: {},
        expectedEtag: null,
        declaredSize: data.length,
        enforceQuotas: true,
      });
      return objectView(name, stored);
    },
    async getObject(auth, container, name) {
      const found = await readAll(ops, { account: account(auth, true), container, object: name });
      if (!found) throw new NotFound(STANDARD_BODY);
      return { object: objectView(name, found.metadata), data: found.data, metadata: userMetadata('object', found.metadata.headers) };
    },
    async deleteObject(auth, container, name) {
      const where = { account: account(auth, false), container, object: name };
      const handle = await ops.open(where);
      if (!handle) throw new NotFound(STANDARD_BODY);
      await handle.close();
      await ops.remove(where);
    },
    async listObjects(auth, container, prefix = '') {
      const where = account(auth, true);
      await existing(where, container);
      const rows = await allRows((marker) => ops.containers.list(where, container, listing(prefix, marker)));
      return rows.map((row) => objectView(row.name, row));
    },
    service: serviceObjectStore(ops),
  };
}
