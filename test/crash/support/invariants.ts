/**
 * The state the cloud must converge to after kill -9 and restarts, read
 * through the public APIs (and the data dir for what no API shows), held
 * against the ledger of what clients were told. Each check answers the
 * problems it found as sentences, so one failing run names all of them.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { liveObjectsOnDisk } from './disk.js';
import type { Ledger } from './ledger.js';
import { NOVA_VERSION, paths, type Session } from './session.js';
import type { Json } from '../../support/json.js';

// Listings as the APIs return them; each check reads the fields it needs.
type Row = Json;

export interface Snapshot {
  servers: Row[];
  volumes: Row[];
  snapshots: Row[];
  images: Row[];
}

const SERVER_FINAL = new Set(['ACTIVE', 'ERROR', 'SHUTOFF']);
const VOLUME_FINAL = new Set(['available', 'in-use', 'error', 'error_deleting']);
const SNAPSHOT_FINAL = new Set(['available', 'error', 'error_deleting']);
const IMAGE_FINAL = new Set(['active', 'queued', 'killed', 'deactivated']);

async function list(session: Session, path: string, key: string, admin = false): Promise<Row[]> {
  const reply = await session.call('GET', path, { headers: NOVA_VERSION, admin });
  if (reply.status !== 200) throw new Error(`GET ${path}: ${reply.status} ${reply.text}`);
  return reply.body[key] as Row[];
}

/** The demo project's servers, volumes, snapshots and the images the run made. */
export async function observe(session: Session, ledger: Ledger): Promise<Snapshot> {
  const volumeApi = paths.volume(session.demoProject);
  const images = await list(session, `${paths.image}/images?limit=1000&owner=${session.demoProject}`, 'images');
  return {
    servers: await list(session, `${paths.compute}/servers/detail?limit=1000`, 'servers'),
    volumes: await list(session, `${volumeApi}/volumes/detail?limit=1000`, 'volumes'),
    snapshots: await list(session, `${volumeApi}/snapshots/detail?limit=1000`, 'snapshots'),
    images: images.filter((image) => ledger.images.has(image.id)),
  };
}

/** A volume left reserved or attaching by an attach request the kill cut: the known bug `stuckByCutAttach` names. */
function leftByCutAttach(volume: Row, ledger: Ledger): boolean {
  return ledger.cutAttaches.has(volume.id) && (volume.status === 'reserved' || volume.status === 'attaching');
}

/** Volumes an attach cut by the kill left reserved or attaching for good. */
export function stuckByCutAttach(state: Snapshot, ledger: Ledger): string[] {
  return state.volumes.filter((v) => leftByCutAttach(v, ledger)).map((v) => `volume ${v.id} (${v.name}) is ${v.status} after its attach was cut by the kill`);
}

/** Resources still in a transitional state, or accepted deletes not done yet (but for what `stuckByCutAttach` reports). */
export function unsettled(state: Snapshot, ledger: Ledger): string[] {
  const problems: string[] = [];
  for (const s of state.servers) {
    if (!SERVER_FINAL.has(s.status) || s['OS-EXT-STS:task_state'] !== null)
      problems.push(`server ${s.id} (${s.name}) is ${s.status}, task_state ${s['OS-EXT-STS:task_state']}`);
    if (ledger.serverDeletes.has(s.id)) problems.push(`server ${s.id} (${s.name}) was deleted (204) but is still listed as ${s.status}`);
  }
  for (const v of state.volumes) {
    if (!VOLUME_FINAL.has(v.status) && !leftByCutAttach(v, ledger)) problems.push(`volume ${v.id} (${v.name}) is ${v.status}`);
    if (ledger.volumeDeletes.has(v.id) && v.status !== 'error_deleting') problems.push(`volume ${v.id} was deleted (202) but is still ${v.status}`);
  }
  for (const s of state.snapshots) if (!SNAPSHOT_FINAL.has(s.status)) problems.push(`snapshot ${s.id} is ${s.status}`);
  for (const i of state.images) {
    if (!IMAGE_FINAL.has(i.status)) problems.push(`image ${i.id} (${i.name}) is ${i.status}`);
    else if (i.status === 'queued' && i.size !== null) problems.push(`image ${i.id} (${i.name}) is queued with data (size ${i.size})`);
  }
  return problems;
}

/** Polls until nothing is unsettled or `deadlineMs` passes; answers the last observation. */
export async function converge(session: Session, ledger: Ledger, deadlineMs: number): Promise<{ state: Snapshot; waitedMs: number }> {
  const start = Date.now();
  for (;;) {
    const state = await observe(session, ledger);
    if (unsettled(state, ledger).length === 0 || Date.now() - start > deadlineMs) return { state, waitedMs: Date.now() - start };
    await delay(500);
  }
}

/** Every accepted create exists (in a final state, or ERROR with a reason) unless an accepted delete explains its absence. */
export function acceptedCreatesExist(state: Snapshot, ledger: Ledger, serverLog: string): string[] {
  const problems: string[] = [];
  const servers = new Map(state.servers.map((s) => [s.id as string, s]));
  const names = new Set(state.servers.map((s) => s.name as string));
  for (const [id, accepted] of ledger.servers) {
    if (!servers.has(id) && !ledger.serverDeletes.has(id)) problems.push(`server ${id} (${accepted.name}) was accepted (202) and is gone without a delete`);
    for (let n = 2; n <= (accepted.multi?.count ?? 1); n++) {
      const name = `${accepted.multi!.base}-${n}`;
      if (!names.has(name)) problems.push(`multi-create ${accepted.multi!.base} was accepted for ${accepted.multi!.count} servers and ${name} is missing`);
    }
  }
  for (const s of state.servers) if (s.status === 'ERROR' && !s.fault?.message) problems.push(`server ${s.id} (${s.name}) is ERROR without a fault`);

  const volumes = new Set(state.volumes.map((v) => v.id as string));
  for (const id of ledger.volumes.keys())
    if (!volumes.has(id) && !ledger.volumeMayBeGone(id)) problems.push(`volume ${id} was accepted (202) and is gone without a delete`);
  const snapshots = new Set(state.snapshots.map((s) => s.id as string));
  for (const id of ledger.snapshots) if (!snapshots.has(id)) problems.push(`snapshot ${id} was accepted (202) and is gone`);
  // Cinder's views have no reason field: the volume service logs it with the id.
  for (const v of [...state.volumes, ...state.snapshots]) {
    const explained = serverLog.split('\n').some((line) => line.includes(v.id) && line.includes('task failed'));
    if (/^error/.test(v.status) && !explained) problems.push(`${v.id} is ${v.status} and no log line says why`);
  }

  const images = new Map(state.images.map((i) => [i.id as string, i]));
  for (const [id, accepted] of ledger.images) {
    const image = images.get(id);
    if (image === undefined) problems.push(`image ${id} (${accepted.name}) was accepted (201) and is gone`);
    else if (accepted.uploadedMd5 !== null && (image.status !== 'active' || image.checksum !== accepted.uploadedMd5)) {
      problems.push(`image ${id} (${accepted.name}) had its upload acknowledged (204) and is ${image.status} with checksum ${image.checksum}`);
    }
  }
  return problems;
}

/** Nothing half-made: ports of missing servers, attachments to missing servers or volumes, allocations of missing servers. */
export async function nothingHalfMade(session: Session, state: Snapshot, ledger: Ledger): Promise<string[]> {
  const problems: string[] = [];
  const servers = new Map(state.servers.map((s) => [s.id as string, s]));
  const volumes = new Map(state.volumes.map((v) => [v.id as string, v]));
  const cut = new Set(state.volumes.filter((v) => leftByCutAttach(v, ledger)).map((v) => v.id as string));

  const ports = await list(session, `${paths.network}/ports?project_id=${session.demoProject}`, 'ports');
  for (const port of ports) {
    if (String(port.device_owner).startsWith('compute:') && !servers.has(port.device_id))
      problems.push(`port ${port.id} is bound to server ${port.device_id}, which does not exist`);
  }
  for (const id of ledger.ports) if (!ports.some((p) => p.id === id)) problems.push(`port ${id} was accepted (201) and is gone`);

  for (const volume of state.volumes.filter((v) => !cut.has(v.id))) {
    const attachments = volume.attachments as Row[];
    if (volume.status === 'available' && attachments.length > 0)
      problems.push(`volume ${volume.id} is available with attachments ${JSON.stringify(attachments)}`);
    if (volume.status === 'in-use' && attachments.length === 0) problems.push(`volume ${volume.id} is in-use with no attachment`);
    for (const attachment of attachments) {
      const server = servers.get(attachment.server_id);
      if (server === undefined) problems.push(`volume ${volume.id} is attached to server ${attachment.server_id}, which does not exist`);
      else if (!(server['os-extended-volumes:volumes_attached'] as Row[]).some((a) => a.id === volume.id)) {
        problems.push(`volume ${volume.id} says it is attached to ${server.id}, which does not list it`);
      }
    }
  }
  for (const server of state.servers) {
    for (const attached of (server['os-extended-volumes:volumes_attached'] as Row[]).filter((a) => !cut.has(a.id))) {
      const volume = volumes.get(attached.id);
      if (volume === undefined) problems.push(`server ${server.id} lists volume ${attached.id}, which does not exist`);
      else if (!(volume.attachments as Row[]).some((a) => a.server_id === server.id))
        problems.push(`server ${server.id} lists volume ${attached.id}, whose attachments do not name it`);
    }
  }

  const everyServer = new Set((await list(session, `${paths.compute}/servers?all_tenants=1&limit=1000`, 'servers', true)).map((s) => s.id as string));
  const consumers = new Set<string>();
  for (const provider of await list(session, `${paths.placement}/resource_providers`, 'resource_providers', true)) {
    const reply = await session.call('GET', `${paths.placement}/resource_providers/${provider.uuid}/allocations`, { admin: true });
    for (const consumer of Object.keys(reply.body.allocations ?? {})) consumers.add(consumer);
  }
  for (const consumer of consumers) if (!everyServer.has(consumer)) problems.push(`placement holds an allocation for consumer ${consumer}, which is no server`);
  for (const server of state.servers)
    if (server.status === 'ACTIVE' && !consumers.has(server.id)) problems.push(`ACTIVE server ${server.id} has no placement allocation`);
  return problems;
}

/** Quota usage as each service's quota API reports it equals what its listings hold. */
export async function quotaUsageMatches(session: Session, state: Snapshot): Promise<string[]> {
  const problems: string[] = [];
  const expect = (what: string, reported: unknown, counted: number) => {
    if (reported !== counted) problems.push(`${what}: quota usage says ${String(reported)}, the listing holds ${counted}`);
  };
  const project = session.demoProject;
  const nova = (await session.call('GET', `${paths.compute}/os-quota-sets/${project}/detail`, { headers: NOVA_VERSION })).body.quota_set;
  const flavors = new Map((await list(session, `${paths.compute}/flavors/detail`, 'flavors')).map((f) => [f.id as string, f]));
  const flavorOf = (server: Row) => flavors.get(server.flavor.id) ?? flavors.get(server.flavor.original_name);
  expect('nova instances', nova.instances.in_use, state.servers.length);
  expect(
    'nova cores',
    nova.cores.in_use,
    state.servers.reduce((sum, s) => sum + (s.flavor.vcpus ?? flavorOf(s)?.vcpus ?? 0), 0),
  );
  expect(
    'nova ram',
    nova.ram.in_use,
    state.servers.reduce((sum, s) => sum + (s.flavor.ram ?? flavorOf(s)?.ram ?? 0), 0),
  );

  const cinder = (await session.call('GET', `${paths.volume(project)}/os-quota-sets/${project}?usage=true`)).body.quota_set;
  expect('cinder volumes', cinder.volumes.in_use, state.volumes.length);
  expect('cinder snapshots', cinder.snapshots.in_use, state.snapshots.length);
  const gigabytes = [...state.volumes, ...state.snapshots].reduce((sum, v) => sum + (v.size as number), 0);
  expect('cinder gigabytes', cinder.gigabytes.in_use, gigabytes);

  const neutron = await neutronUsage(session);
  for (const kind of ['network', 'router'] as const) expect(`neutron ${kind}`, neutron.used[kind], (await neutron.owned(kind)).length);
  return problems;
}

async function neutronUsage(session: Session) {
  const project = session.demoProject;
  const details = (await session.call('GET', `${paths.network}/quotas/${project}/details`)).body.quota as Record<string, { used: number }>;
  return {
    used: Object.fromEntries(Object.entries(details).map(([kind, value]) => [kind, value.used])),
    owned: (kind: string) => list(session, `${paths.network}/${kind}s?project_id=${project}`, `${kind}s`),
  };
}

/** Neutron's port usage counts every port of the project, DHCP and router interface ports included. */
export async function neutronPortUsageCountsEveryPort(session: Session): Promise<string[]> {
  const neutron = await neutronUsage(session);
  const ports = await neutron.owned('port');
  return neutron.used.port === ports.length ? [] : [`neutron port: quota usage says ${neutron.used.port}, the listing holds ${ports.length}`];
}

/** Acknowledged objects read back, and each listing is what the devices hold. */
export async function swiftConsistent(session: Session, ledger: Ledger, dataDir: string): Promise<string[]> {
  const problems: string[] = [];
  const account = `AUTH_${session.demoProject}`;
  const onDisk = await liveObjectsOnDisk(dataDir);
  const containers = await session.call('GET', `${paths.swift(session.demoProject)}?format=json`);
  for (const { name: container } of containers.body as unknown as Array<{ name: string }>) {
    const listing = await session.call('GET', `${paths.swift(session.demoProject)}/${container}?format=json`);
    const listed = new Set((listing.body as unknown as Array<{ name: string }>).map((o) => o.name));
    const stored = new Set([...onDisk].filter((p) => p.startsWith(`/${account}/${container}/`)).map((p) => p.slice(account.length + container.length + 3)));
    for (const name of listed) if (!stored.has(name)) problems.push(`${container}/${name} is listed but no device holds it`);
    for (const name of stored) if (!listed.has(name)) problems.push(`${container}/${name} is on disk but not listed`);
    const count = Number(listing.headers.get('x-container-object-count'));
    if (count !== listed.size) problems.push(`${container} says it holds ${count} objects and lists ${listed.size}`);
  }
  for (const [container, objects] of ledger.objects) {
    for (const [name, md5] of objects) {
      const head = await session.call('HEAD', `${paths.swift(session.demoProject)}/${container}/${name}`);
      if (head.status !== 200 || head.headers.get('etag') !== md5)
        problems.push(`${container}/${name} was acknowledged (201) and answers ${head.status} etag ${head.headers.get('etag')}`);
    }
  }
  return problems;
}

/** A container with a count quota holds no more objects than it allows, however many PUTs raced. */
export async function swiftCountQuotaHeld(session: Session, container: string, quotaCount: number): Promise<string[]> {
  const listing = await session.call('GET', `${paths.swift(session.demoProject)}/${container}?format=json`);
  const held = (listing.body as unknown as unknown[]).length;
  return held > quotaCount ? [`${container} holds ${held} objects over its quota of ${quotaCount}`] : [];
}
