/**
 * Object versioning as Swift's versioned_writes does it. With
 * `X-Versions-Location` (stack mode) an overwrite first copies the current
 * object into the versions container as `<3-hex name length><name>/<timestamp>`,
 * and a DELETE restores the newest version (or deletes when there is none).
 * With `X-History-Location` (history mode) overwrites and deletes both
 * archive the current object, and a DELETE removes it.
 */
import type { ObjectOps } from '../proxy/object-ops.js';
import { plainSource } from '../proxy/body-source.js';
import type { ObjectLocation } from '../proxy/replicated-objects.js';
import type { ContainerInfo, ObjectHandle } from '../storage/contract.js';

export function versionsContainer(info: ContainerInfo): { container: string; mode: 'stack' | 'history' } | null {
  const stack = info.metadata['x-versions-location'];
  if (stack) return { container: stack, mode: 'stack' };
  const history = info.metadata['x-history-location'];
  if (history) return { container: history, mode: 'history' };
  return null;
}

function versionPrefix(object: string): string {
  return `${Buffer.byteLength(object).toString(16).padStart(3, '0')}${object}/`;
}

/** Copies the current object (if any) into the versions container; false when there was nothing to keep. */
export async function archiveCurrent(ops: ObjectOps, where: ObjectLocation, versions: string): Promise<boolean> {
  if (!(await ops.containers.info(where.account, versions))) return false;
  const handle = await ops.open(where);
  if (!handle) return false;
  try {
    await copyHandle(ops, handle, { account: where.account, container: versions, object: `${versionPrefix(where.object)}${handle.metadata.timestamp}` });
    return true;
  } finally {
    await handle.close();
  }
}

/** Stores an open object's bytes and metadata again at `to`. */
async function copyHandle(ops: ObjectOps, handle: ObjectHandle, to: ObjectLocation): Promise<void> {
  const { metadata } = handle;
  await ops.store({
    where: to,
    body: plainSource(handle).read(0, metadata.size - 1),
    contentType: metadata.contentType,
    headers: metadata.headers,
    system: metadata.system,
    expectedEtag: metadata.etag,
    declaredSize: metadata.size,
    enforceQuotas: false,
  });
}

/** Stack mode DELETE: moves the newest version back in place; false when there was none. */
export async function restorePrevious(ops: ObjectOps, where: ObjectLocation, versions: string): Promise<boolean> {
  const [newest] = await ops.containers.list(where.account, versions, {
    prefix: versionPrefix(where.object),
    delimiter: null,
    marker: '',
    endMarker: '',
    limit: 1,
    reverse: true,
  });
  if (!newest || !('row' in newest)) return false;
  const versionAt = { account: where.account, container: versions, object: newest.row.name };
  const handle = await ops.open(versionAt);
  if (!handle) return false;
  try {
    await copyHandle(ops, handle, where);
  } finally {
    await handle.close();
  }
  await ops.remove(versionAt);
  return true;
}
