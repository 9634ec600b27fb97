/**
 * Heat's prepare_for_replace and restore_prev_rsrc for OS::Nova::Server.
 * A replacement server booted on the same `port` cannot take it while the
 * old server holds it, so before the replacement is created the old server
 * lets go of its ports: the ones Heat made for it (`internal_ports`) and the
 * ones its `networks` name, template resources and ports passed by id alike
 * (Heat's `external_ports`). A rollback that brings the old server back
 * takes them off the failed replacement and gives them back.
 *
 * Deviation: Heat detaches by Nova's interface detach, which also deletes
 * the ports Nova made for `network` entries; here the ports move by a
 * Neutron port update (device_id and device_owner), and the ports Nova made
 * stay with the old server and go when it is deleted.
 */
import type { PortInfo } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin, ResourceState } from '../../types.js';
import { neutron, neutronId } from '../network/lookups.js';
import { deleteUnlessGone, maps, pollUntil, text, unlessGone } from '../support.js';
import { nova } from './lookups.js';
import { INTERNAL_PORTS, internalPorts } from './server-request.js';

/** The ports let go of, with the owner they had, so a rollback can give them back as they were. */
const RELEASED_PORTS = 'released_ports';

interface ReleasedPort {
  id: string;
  deviceOwner: string;
}

function releasedPorts(ctx: ResourceContext): ReleasedPort[] {
  const stored = ctx.resource.data[RELEASED_PORTS];
  return stored === undefined ? [] : (JSON.parse(stored) as ReleasedPort[]);
}

/** The ports the server's `networks` name (gone ones left out), and those Heat made for it. */
async function serverPorts(ctx: ResourceContext, properties: JsonObject): Promise<Set<string>> {
  const ids = new Set(internalPorts(ctx));
  for (const entry of maps(properties, 'networks')) {
    const port = text(entry, 'port');
    const id = port === undefined ? null : await unlessGone(neutronId(ctx, 'ports', port));
    if (id !== null) ids.add(id);
  }
  return ids;
}

/** An old server in ERROR (or gone) keeps nothing a replacement could want: Heat deletes the ports it made for it. */
async function deleteInternalPorts(ctx: ResourceContext): Promise<void> {
  for (const port of internalPorts(ctx)) await deleteUnlessGone(neutron(ctx.services).ports.delete(ctx.caller, port));
  await ctx.deleteData(INTERNAL_PORTS);
}

async function prepareForReplace(ctx: ResourceContext, properties: JsonObject): Promise<void> {
  const serverId = ctx.resource.physicalId;
  if (serverId === null) return;
  const server = await unlessGone(nova(ctx.services).getServer(ctx.caller, serverId));
  if (server === null || server.status === 'ERROR') return deleteInternalPorts(ctx);
  const network = neutron(ctx.services);
  const wanted = await serverPorts(ctx, properties);
  const held = (await network.ports.listWhere(ctx.caller, { deviceId: serverId })).filter((port) => wanted.has(port.id));
  // Recorded before the ports move, so a crash halfway still knows what to give back.
  const known = releasedPorts(ctx);
  const fresh = held.filter((port) => !known.some((entry) => entry.id === port.id)).map((port) => ({ id: port.id, deviceOwner: port.deviceOwner }));
  if (fresh.length > 0) await ctx.setData(RELEASED_PORTS, JSON.stringify([...known, ...fresh]));
  for (const port of held) await network.ports.update(ctx.caller, port.id, { deviceId: '', deviceOwner: '' });
}

/** A replacement still booting cannot give up its ports yet (Heat waits for ACTIVE or ERROR). */
async function settledReplacement(ctx: ResourceContext, replacement: ResourceState): Promise<void> {
  const id = replacement.physicalId;
  if (id === null) return;
  const compute = nova(ctx.services);
  await pollUntil(
    ctx,
    () => unlessGone(compute.getServer(ctx.caller, id)),
    (server) => server === null || server.status !== 'BUILD',
  );
}

async function giveBack(ctx: ResourceContext, serverId: string, replacement: ResourceState, released: ReleasedPort): Promise<void> {
  const network = neutron(ctx.services);
  const port: PortInfo | null = await unlessGone(network.ports.get(ctx.caller, released.id));
  if (port === null || port.deviceId === serverId) return;
  if (port.deviceId !== '' && port.deviceId !== replacement.physicalId) {
    throw new Error(`Failed to attach interface (${port.id}) to server (${serverId})`);
  }
  if (port.deviceId !== '') await network.ports.update(ctx.caller, port.id, { deviceId: '', deviceOwner: '' });
  await network.ports.claim(ctx.caller, port.id, { deviceId: serverId, deviceOwner: released.deviceOwner });
}

async function restorePrevious(ctx: ResourceContext, replacement: ResourceState): Promise<void> {
  const serverId = ctx.resource.physicalId;
  const released = releasedPorts(ctx);
  if (serverId === null || released.length === 0) return;
  await settledReplacement(ctx, replacement);
  for (const port of released) await giveBack(ctx, serverId, replacement, port);
  await ctx.deleteData(RELEASED_PORTS);
}

export const serverReplacement: Pick<ResourcePlugin, 'prepareForReplace' | 'restorePrevious'> = { prepareForReplace, restorePrevious };
