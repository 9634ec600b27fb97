/**
 * OS::Nova::Server: boots through compute's door and waits for ACTIVE (an
 * ERROR is Heat's ResourceInError with the fault). Updates in place as
 * Heat's defaults say: name and metadata directly, a flavor by resize and
 * confirm (flavor_update_policy RESIZE), an image by rebuild
 * (image_update_policy REBUILD, Heat's default; REPLACE replaces the server).
 */
import { serverSnapshots } from './server-snapshot.js';
import type { ComputeServer } from '../../../../compute/operations.js';
import type { JsonObject } from '../../../json.js';
import type { PropertyChange, ResourceContext, ResourcePlugin } from '../../types.js';
import { failures } from '../errors.js';
import { neutron, neutronId } from '../network/lookups.js';
import { deleteUnlessGone, earlierAttempt, maps, objectName, pollUntil, stringMap, text, unlessGone } from '../support.js';
import { flavorId, imageId, nova } from './lookups.js';
import { internalPorts, serverRequest } from './server-request.js';
import { serverReplacement } from './server-replace.js';
import { serverAttributes, serverProperties } from './server-schema.js';
import { serverAttribute, serverView } from './server-views.js';
import { publishSoftwareConfigMetadata } from './software-config.js';

const HELD = ['BUILD', 'REBUILD', 'RESIZE', 'REBOOT', 'HARD_REBOOT', 'MIGRATING', 'PASSWORD'];

/** Waits until the server is in `status` with no task running; ERROR (or an unexpected state) is Heat's failure. */
async function settle(ctx: ResourceContext, id: string, status: string): Promise<ComputeServer> {
  const compute = nova(ctx.services);
  return pollUntil(
    ctx,
    () => compute.getServer(ctx.caller, id),
    (server) => {
      if (server.status === 'ERROR')
        throw failures.inError('ERROR', `Message: ${server.fault?.message ?? 'Unknown'}, Code: ${server.fault?.code ?? 'Unknown'}`);
      if (server.status === status && server.taskState === null) return true;
      if (server.taskState !== null || HELD.includes(server.status)) return false;
      throw failures.unknownStatus(`${ctx.resource.name} is not active`, server.status, 'Unknown');
    },
  );
}

/** Associates the floating IPs named in `networks` with the server's port on that network. */
async function associateFloatingIps(ctx: ResourceContext, serverId: string, p: JsonObject): Promise<void> {
  const network = neutron(ctx.services);
  const ports = await network.ports.listWhere(ctx.caller, { deviceId: serverId });
  for (const entry of maps(p, 'networks')) {
    const floatingIp = text(entry, 'floating_ip');
    if (floatingIp === undefined) continue;
    const portRef = text(entry, 'port');
    const networkRef = text(entry, 'network') ?? text(entry, 'uuid');
    const portId = portRef === undefined ? undefined : await neutronId(ctx, 'ports', portRef);
    const networkId = networkRef === undefined ? undefined : await neutronId(ctx, 'networks', networkRef);
    // The entry's port: the one it names, else the server's port on the entry's network (or subnet's port Heat made).
    const port =
      ports.find((candidate) => candidate.id === portId) ??
      ports.find((candidate) => candidate.networkId === networkId) ??
      (ports.length === 1 ? ports[0] : undefined);
    if (port !== undefined) await network.floatingIps.associate(ctx.caller, floatingIp, port.id);
  }
}

async function resize(ctx: ResourceContext, id: string, flavor: string): Promise<void> {
  const compute = nova(ctx.services);
  const target = await flavorId(ctx, flavor);
  const server = await settleResizable(ctx, id);
  if (server.flavorId === target && server.status === 'ACTIVE') return;
  // VERIFY_RESIZE: an earlier attempt resized and was interrupted before confirming.
  if (server.status !== 'VERIFY_RESIZE') {
    await compute.resizeServer(ctx.caller, id, target);
    await settle(ctx, id, 'VERIFY_RESIZE');
  }
  await compute.confirmServerResize(ctx.caller, id);
  await settle(ctx, id, 'ACTIVE');
}

/** The server once no task runs (ACTIVE, or VERIFY_RESIZE left by an interrupted resize). */
function settleResizable(ctx: ResourceContext, id: string): Promise<ComputeServer> {
  return pollUntil(
    ctx,
    () => nova(ctx.services).getServer(ctx.caller, id),
    (s) => s.taskState === null && !HELD.includes(s.status),
  );
}

async function rebuild(ctx: ResourceContext, id: string, image: string): Promise<void> {
  const target = await imageId(ctx, image);
  const server = await settleResizable(ctx, id);
  if (server.imageId !== target) await nova(ctx.services).rebuildServer(ctx.caller, id, target);
  await settle(ctx, id, 'ACTIVE');
}

const replacedBy: Record<string, [policy: string, replacing: string]> = {
  flavor: ['flavor_update_policy', 'REPLACE'],
  image: ['image_update_policy', 'REPLACE'],
  user_data: ['user_data_update_policy', 'REPLACE'],
};

async function current(ctx: ResourceContext): Promise<ComputeServer | null> {
  const id = ctx.resource.physicalId;
  return id === null ? null : unlessGone(nova(ctx.services).getServer(ctx.caller, id));
}

export const serverResource: ResourcePlugin = {
  type: 'OS::Nova::Server',
  description: 'A Nova server, with its networks, volumes and user data.',
  properties: serverProperties,
  attributes: serverAttributes,
  async create(ctx, p) {
    const compute = nova(ctx.services);
    const found = await earlierAttempt(ctx, p.name, {
      byId: (id) => compute.getServer(ctx.caller, id),
      byName: (name) => compute.findServer(ctx.caller, name),
    });
    const server = found ?? (await compute.createServers(ctx.caller, await serverRequest(ctx, p, objectName(ctx, p.name)))).servers[0]!;
    if (ctx.resource.physicalId !== server.id) await ctx.setPhysicalId(server.id);
    if (p.user_data_format === 'SOFTWARE_CONFIG') await publishSoftwareConfigMetadata(ctx, text(p, 'software_config_transport') ?? 'POLL_SERVER_CFN');
    await settle(ctx, server.id, 'ACTIVE');
    await associateFloatingIps(ctx, server.id, p);
  },
  needsReplace(change: PropertyChange) {
    return change.changed.some((key) => {
      const rule = replacedBy[key];
      if (rule) return (change.properties[rule[0]] ?? change.previous[rule[0]]) === rule[1];
      return serverProperties[key as keyof typeof serverProperties]?.updateAllowed !== true;
    });
  },
  async update(ctx, change) {
    const id = ctx.resource.physicalId;
    if (id === null) return;
    const compute = nova(ctx.services);
    const p = change.properties;
    if (change.changed.includes('name')) await compute.updateServer(ctx.caller, id, { name: objectName(ctx, p.name) });
    if (change.changed.includes('metadata')) await compute.setServerMetadata(ctx.caller, id, stringMap(p, 'metadata') ?? {}, { replace: true });
    if (change.changed.includes('flavor')) await resize(ctx, id, text(p, 'flavor') ?? '');
    if (change.changed.includes('image') && text(p, 'image') !== undefined) await rebuild(ctx, id, text(p, 'image')!);
    if (change.changed.includes('software_config_transport') && p.user_data_format === 'SOFTWARE_CONFIG')
      await publishSoftwareConfigMetadata(ctx, text(p, 'software_config_transport') ?? 'POLL_SERVER_CFN');
  },
  async delete(ctx) {
    const compute = nova(ctx.services);
    // A create that crashed before recording the id left a server under the generated name.
    const id = ctx.resource.physicalId ?? (await compute.findServer(ctx.caller, ctx.resource.physicalName))?.id ?? null;
    if (id !== null) {
      await deleteUnlessGone(compute.deleteServer(ctx.caller, id));
      await pollUntil(
        ctx,
        () => unlessGone(compute.getServer(ctx.caller, id)),
        (server) => server === null || server.status === 'DELETED',
      );
    }
    for (const port of internalPorts(ctx)) await deleteUnlessGone(neutron(ctx.services).ports.delete(ctx.caller, port));
  },
  async resolveAttribute(ctx, name) {
    if (name === 'os_collect_config') return ctx.resource.metadata['os-collect-config'] ?? {};
    const server = await current(ctx);
    return server === null ? null : serverAttribute(ctx, server, name);
  },
  async show(ctx) {
    const server = await current(ctx);
    return server === null ? null : serverView(server);
  },
  async check(ctx) {
    const server = await current(ctx);
    if (server === null) throw failures.inError('DELETED', 'The server is gone');
    if (server.status !== 'ACTIVE') throw failures.unknownStatus(`${ctx.resource.name} is not active`, server.status, server.fault?.message ?? '');
  },
  async suspend(ctx) {
    if (ctx.resource.physicalId === null) return;
    const server = await settleResizable(ctx, ctx.resource.physicalId);
    if (server.status !== 'SHUTOFF') await nova(ctx.services).stopServer(ctx.caller, server.id);
    await settle(ctx, server.id, 'SHUTOFF');
  },
  async resume(ctx) {
    if (ctx.resource.physicalId === null) return;
    const server = await settleResizable(ctx, ctx.resource.physicalId);
    if (server.status !== 'ACTIVE') await nova(ctx.services).startServer(ctx.caller, server.id);
    await settle(ctx, server.id, 'ACTIVE');
  },
  ...serverSnapshots,
  ...serverReplacement,
};
