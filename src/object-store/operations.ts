/**
 * What the object store offers other services in-process
 * (`deps.services['object-store'].objects`): whole objects in a container
 * of an account, for services that keep their data in Swift (Cinder's
 * backups). Accounts are Swift's (`AUTH_<project id>`); there are no ACL or
 * quota checks here, the caller stores in accounts it owns, as a service
 * with Swift's reseller role would.
 */
import { newTimestamp } from './proxy/timestamp.js';
import type { ObjectOps } from './proxy/object-ops.js';

export interface ObjectStoreOperations {
  /** Creates the container when missing. */
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

const PAGE = 10_000;

export function objectStoreOperations(ops: ObjectOps): ObjectStoreOperations {
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
      const handle = await ops.open({ account, container, object: name });
      if (!handle) return null;
      try {
        const chunks: Buffer[] = [];
        if (handle.metadata.size > 0) for await (const chunk of handle.stream(0, handle.metadata.size - 1)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } finally {
        await handle.close();
      }
    },
    async delete(account, container, name) {
      await ops.remove({ account, container, object: name });
    },
    async list(account, container, prefix) {
      const names: string[] = [];
      for (let marker = ''; ;) {
        const page = await ops.containers.list(account, container, { prefix, delimiter: null, marker, endMarker: '', limit: PAGE, reverse: false });
        for (const entry of page) if ('row' in entry) names.push(entry.row.name);
        if (page.length < PAGE) return names;
        marker = names[names.length - 1] ?? '';
      }
    },
  };
}
