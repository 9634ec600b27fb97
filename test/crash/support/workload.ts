/**
 * The mixed work the crash test runs as a member of demo: server creates
 * (single and multi) and deletes, volume creates (blank and from an image)
 * and deletes, snapshots, attachments, network/port/router creates, image
 * uploads and Swift PUTs into a container with and without a quota. Each
 * operation draws its choices from the seeded random source and writes what
 * the cloud accepted into the ledger.
 */
import { createHash, randomBytes } from 'node:crypto';
import { pick, seededRandom, type Ledger } from './ledger.js';
import { paths, type Session } from './session.js';

/** What the workload needs from the setup: the image volumes are made from, the demo network, the two containers. */
export interface Fixtures {
  baseImage: string;
  privateNetwork: string;
  freeContainer: string;
  quotaContainer: string;
}

interface Context {
  session: Session;
  ledger: Ledger;
  fixtures: Fixtures;
  random: () => number;
  /** A name no other operation of the run uses. */
  name(kind: string): string;
  /** Volumes an attach was refused for (400: not available) in this round: the next attach tries another. */
  unattachable: Set<string>;
}

type Operation = (c: Context) => Promise<void>;

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const NOVA_CREATE = { 'openstack-api-version': 'compute 2.79' };

const createServer: Operation = async (c) => {
  const multi = c.random() < 0.3;
  const name = c.name('server');
  const networks = c.random() < 0.75 ? [{ uuid: c.fixtures.privateNetwork }] : 'none';
  const count = multi ? 2 + Math.floor(c.random() * 2) : 1;
  const server = { name, imageRef: c.fixtures.baseImage, flavorRef: '1', networks, ...(multi ? { min_count: 1, max_count: count } : {}) };
  const reply = await c.session.call('POST', `${paths.compute}/servers`, { body: { server }, headers: NOVA_CREATE });
  c.ledger.note(`create server ${name}`, reply.status, reply.text);
  if (reply.status === 202)
    c.ledger.servers.set(reply.body.server.id, { name: multi ? `${name}-1` : name, ...(multi ? { multi: { base: name, count } } : {}) });
};

const deleteServer: Operation = async (c) => {
  const id = pick(
    c.random,
    [...c.ledger.servers.keys()].filter((s) => !c.ledger.serverDeletes.has(s)),
  );
  if (id === undefined) return;
  const reply = await c.session.call('DELETE', `${paths.compute}/servers/${id}`);
  c.ledger.note(`delete server ${id}`, reply.status, reply.text);
  if (reply.status === 204) c.ledger.serverDeletes.add(id);
};

const createVolume: Operation = async (c) => {
  const fromImage = c.random() < 0.5;
  const volume = { size: 1, name: c.name('volume'), ...(fromImage ? { imageRef: c.fixtures.baseImage } : {}) };
  const reply = await c.session.call('POST', `${paths.volume(c.session.demoProject)}/volumes`, { body: { volume } });
  c.ledger.note(`create volume ${volume.name}`, reply.status, reply.text);
  if (reply.status === 202) c.ledger.volumes.set(reply.body.volume.id, 1);
};

const deleteVolume: Operation = async (c) => {
  const id = pick(
    c.random,
    [...c.ledger.volumes.keys()].filter((v) => !c.ledger.volumeDeletes.has(v)),
  );
  if (id === undefined) return;
  const reply = await c.session.call('DELETE', `${paths.volume(c.session.demoProject)}/volumes/${id}`);
  c.ledger.note(`delete volume ${id}`, reply.status, reply.text);
  if (reply.status === 202) c.ledger.volumeDeletes.add(id);
};

const createSnapshot: Operation = async (c) => {
  const volume = pick(c.random, c.ledger.volumes.keys());
  if (volume === undefined) return;
  const snapshot = { volume_id: volume, name: c.name('snapshot'), force: c.random() < 0.5 };
  const reply = await c.session.call('POST', `${paths.volume(c.session.demoProject)}/snapshots`, { body: { snapshot } });
  c.ledger.note(`create snapshot of ${volume}`, reply.status, reply.text);
  if (reply.status === 202) c.ledger.snapshots.add(reply.body.snapshot.id);
};

const attachVolume: Operation = async (c) => {
  // The oldest server and volume no delete was accepted for (and no attach, for the volume): the likeliest ACTIVE and available.
  const server = [...c.ledger.servers.keys()].find((s) => !c.ledger.serverDeletes.has(s));
  const volume = [...c.ledger.volumes.keys()].find((v) => !c.ledger.volumeDeletes.has(v) && !c.ledger.attachments.has(v) && !c.unattachable.has(v));
  if (server === undefined || volume === undefined) return;
  const deleteOnTermination = c.random() < 0.5;
  const reply = await c.session.call('POST', `${paths.compute}/servers/${server}/os-volume_attachments`, {
    body: { volumeAttachment: { volumeId: volume, delete_on_termination: deleteOnTermination } },
    headers: NOVA_CREATE,
  });
  c.ledger.note(`attach volume ${volume} to ${server}`, reply.status, reply.text);
  if (reply.status === 200) c.ledger.attachments.set(volume, { server, deleteOnTermination });
  if (reply.status === 400) c.unattachable.add(volume);
  if (reply.status === 0) c.ledger.cutAttaches.add(volume);
};

const createNetworkThings: Operation = async (c) => {
  const kind = pick(c.random, ['network', 'port', 'router'] as const) ?? 'network';
  const body =
    kind === 'network'
      ? { network: { name: c.name('network') } }
      : kind === 'port'
        ? { port: { name: c.name('port'), network_id: pick(c.random, [c.fixtures.privateNetwork, ...c.ledger.networks]) } }
        : { router: { name: c.name('router') } };
  const reply = await c.session.call('POST', `${paths.network}/${kind}s`, { body });
  c.ledger.note(`create ${kind}`, reply.status, reply.text);
  if (reply.status === 201) ({ network: c.ledger.networks, port: c.ledger.ports, router: c.ledger.routers })[kind].add(reply.body[kind].id);
};

const uploadImage: Operation = async (c) => {
  const name = c.name('image');
  const created = await c.session.call('POST', `${paths.image}/images`, { body: { name, disk_format: 'raw', container_format: 'bare' } });
  c.ledger.note(`create image ${name}`, created.status, created.text);
  if (created.status !== 201) return;
  const image = { name, uploadedMd5: null as string | null };
  c.ledger.images.set(created.body.id, image);
  const data = randomBytes(64 * 1024 + Math.floor(c.random() * 512 * 1024));
  const uploaded = await c.session.call('PUT', `${paths.image}/images/${created.body.id}/file`, { body: data });
  c.ledger.note(`upload image ${name}`, uploaded.status, uploaded.text);
  if (uploaded.status === 204) image.uploadedMd5 = md5(data);
};

const putObject: Operation = async (c) => {
  const container = c.random() < 0.5 ? c.fixtures.freeContainer : c.fixtures.quotaContainer;
  const name = c.name('object');
  const data = randomBytes(4 * 1024 + Math.floor(c.random() * 256 * 1024));
  const reply = await c.session.call('PUT', `${paths.swift(c.session.demoProject)}/${container}/${name}`, { body: data });
  // 413 is the quota container saying no.
  c.ledger.note(`put object ${container}/${name}`, reply.status, reply.text);
  if (reply.status === 201) {
    const objects = c.ledger.objects.get(container) ?? new Map<string, string>();
    objects.set(name, md5(data));
    c.ledger.objects.set(container, objects);
  }
};

/**
 * Operations and their weights: creates outweigh deletes so there is work in
 * flight at every kill. The slow writers (Swift PUTs fsync three replicas and
 * two listing databases) come first, so they are answered before early kills.
 */
const OPERATIONS: Array<[Operation, number]> = [
  [putObject, 4],
  [createServer, 5],
  [uploadImage, 2],
  [createVolume, 4],
  [createNetworkThings, 3],
  [createSnapshot, 2],
  [attachVolume, 2],
  [deleteServer, 2],
  [deleteVolume, 1],
];
const TOTAL_WEIGHT = OPERATIONS.reduce((sum, [, weight]) => sum + weight, 0);

/**
 * The n-th operation of a worker: the first ones go round every kind (so
 * each round starts every kind of work whenever the kill comes), the rest
 * are drawn by weight.
 */
function nextOperation(random: () => number, worker: number, n: number, workers: number): Operation {
  const index = worker + n * workers;
  if (index < OPERATIONS.length) return OPERATIONS[index]![0];
  let roll = random() * TOTAL_WEIGHT;
  for (const [operation, weight] of OPERATIONS) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return OPERATIONS[0]![0];
}

export interface RoundOptions {
  session: Session;
  ledger: Ledger;
  fixtures: Fixtures;
  random: () => number;
  /** Concurrent clients. */
  workers: number;
  /** Operations the round may start in all. */
  budget: number;
  /** Unique names across rounds. */
  round: number;
}

/** A round of work; `stop()` keeps workers from starting more operations (the ones under way run until answered or cut). */
export function startRound(options: RoundOptions): { stop(): void; started(): number; done: Promise<void> } {
  let stopped = false;
  let started = 0;
  let names = 0;
  const name = (kind: string) => `crash-${options.round}-${kind}-${names++}`;
  // Each worker draws from its own seeded source, so its sequence of choices does not depend on how the others interleave.
  const seeds = Array.from({ length: options.workers }, () => Math.floor(options.random() * 2 ** 32));
  const unattachable = new Set<string>();
  const worker = async (index: number) => {
    const context: Context = { ...options, random: seededRandom(seeds[index]!), name, unattachable };
    for (let n = 0; !stopped && started < options.budget; n++) {
      started++;
      await nextOperation(context.random, index, n, options.workers)(context);
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index))).then(() => undefined);
  return {
    stop: () => {
      stopped = true;
    },
    started: () => started,
    done,
  };
}
