/**
 * `nimbus manage ring ...`, swift-ring-builder's verbs on the ring file in the
 * data dir: create, add, rebalance, show. A running server reads the ring at
 * start: restart it after a rebalance (the replicator then moves partitions
 * to their new devices).
 */
import { existsSync } from 'node:fs';
import { addDevice, rebalance } from './builder.js';
import { loadRing, newRingData, Ring, saveRing } from './ring.js';

export interface RingCommand {
  verb: string;
  args: string[];
  zone?: string | undefined;
  weight?: string | undefined;
}

const USAGE = `ring commands:
  nimbus manage ring create <part_power> <replicas>
  nimbus manage ring add <device-name> [--zone Z] [--weight W]
  nimbus manage ring rebalance
  nimbus manage ring show`;

function integer(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${name} must be a whole number\n${USAGE}`);
  return Number(value);
}

/** Runs one verb on the ring file; returns what to print. */
export function manageRing(file: string, command: RingCommand): string {
  if (command.verb === 'create') {
    if (existsSync(file)) throw new Error(`${file} exists; a new ring would lose track of every stored object`);
    const data = newRingData(integer(command.args[0], 'part_power'), integer(command.args[1], 'replicas'));
    saveRing(file, data);
    return `Created ${file}: 2^${data.part_power} partitions, ${data.replicas} replicas; add devices, then rebalance`;
  }
  if (!existsSync(file)) throw new Error(`No ring at ${file}: nimbus manage ring create, or start the server once`);
  const data = loadRing(file);
  switch (command.verb) {
    case 'add': {
      const name = command.args[0];
      if (!name) throw new Error(USAGE);
      const device = addDevice(data, { name, zone: integer(command.zone ?? '1', 'zone'), weight: Number(command.weight ?? '100') });
      saveRing(file, data);
      return `Added device ${device.id} ${device.name} (zone ${device.zone}, weight ${device.weight}); rebalance to give it partitions`;
    }
    case 'rebalance': {
      const moved = rebalance(data);
      saveRing(file, data);
      return `Rebalanced: ${moved} partition replicas assigned; restart the server to use the new ring`;
    }
    case 'show':
      return describeRing(new Ring(data));
    default:
      throw new Error(USAGE);
  }
}

function describeRing(ring: Ring): string {
  const { data } = ring;
  const counts = new Map<number, number>();
  for (const row of data.assignments) for (const id of row) counts.set(id, (counts.get(id) ?? 0) + 1);
  const lines = [
    `${ring.partitionCount} partitions, ${data.replicas} replicas, ${data.devices.length} devices, ${ring.isBuilt() ? 'balanced' : 'not rebalanced yet'}`,
    'id  name            zone  weight  partitions',
    ...data.devices.map((d) => `${String(d.id).padEnd(4)}${d.name.padEnd(16)}${String(d.zone).padEnd(6)}${String(d.weight).padEnd(8)}${counts.get(d.id) ?? 0}`),
  ];
  return lines.join('\n');
}
