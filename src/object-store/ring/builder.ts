/**
 * Ring building (swift-ring-builder's add and rebalance): devices are added
 * with a zone and a weight; a rebalance gives every partition `replicas`
 * distinct devices, preferring distinct zones, each device holding about its
 * weight's share, and moving as few partition replicas as it can.
 */
import type { RingData, RingDevice } from './ring.js';

export function addDevice(ring: RingData, device: { name: string; zone: number; weight: number }): RingDevice {
  if (!/^[A-Za-z0-9_.-]+$/.test(device.name)) throw new Error(`Invalid device name ${device.name}: letters, digits, _ . - only`);
  if (ring.devices.some((d) => d.name === device.name)) throw new Error(`Device ${device.name} is already in the ring`);
  if (!(device.weight > 0)) throw new Error('A device weight must be positive');
  const id = ring.devices.reduce((max, d) => Math.max(max, d.id + 1), 0);
  const added = { id, ...device };
  ring.devices.push(added);
  return added;
}

/** Reassigns partitions; returns how many partition replicas changed device. */
export function rebalance(ring: RingData): number {
  const previous = ring.assignments.map((row) => [...row]);
  const parts = 2 ** ring.part_power;
  if (ring.devices.length < ring.replicas) {
    throw new Error(`${ring.replicas} replicas need at least ${ring.replicas} devices; the ring has ${ring.devices.length}`);
  }
  const totalWeight = ring.devices.reduce((sum, d) => sum + d.weight, 0);
  const wanted = new Map(ring.devices.map((d) => [d.id, (d.weight / totalWeight) * parts * ring.replicas]));
  const counts = new Map(ring.devices.map((d) => [d.id, 0]));
  const zoneOf = new Map(ring.devices.map((d) => [d.id, d.zone]));
  const table: Array<Array<number | null>> = [];
  for (let r = 0; r < ring.replicas; r++) {
    const row = ring.assignments[r];
    table.push(Array.from({ length: parts }, (_, p) => (row && row[p] !== undefined && counts.has(row[p] as number) ? (row[p] as number) : null)));
  }
  // Keep what is placed unless its device is over its share or the partition holds it twice.
  for (let p = 0; p < parts; p++) {
    const seen = new Set<number>();
    for (let r = 0; r < ring.replicas; r++) {
      const dev = table[r]![p];
      if (dev === null || dev === undefined) continue;
      if (seen.has(dev)) table[r]![p] = null;
      else {
        seen.add(dev);
        counts.set(dev, (counts.get(dev) ?? 0) + 1);
      }
    }
  }
  for (const [dev, count] of counts) {
    let excess = count - Math.ceil(wanted.get(dev) ?? 0);
    for (let p = 0; excess > 0 && p < parts; p++) {
      for (let r = 0; excess > 0 && r < ring.replicas; r++) {
        if (table[r]![p] === dev) {
          table[r]![p] = null;
          counts.set(dev, (counts.get(dev) ?? 0) - 1);
          excess--;
        }
      }
    }
  }
  for (let p = 0; p < parts; p++) {
    for (let r = 0; r < ring.replicas; r++) {
      if (table[r]![p] !== null) continue;
      const inPart = table.map((row) => row[p]).filter((d): d is number => d !== null && d !== undefined);
      const zones = new Set(inPart.map((d) => zoneOf.get(d)));
      const candidates = ring.devices.filter((d) => !inPart.includes(d.id));
      candidates.sort((a, b) => {
        const zoneOrder = Number(zones.has(a.zone)) - Number(zones.has(b.zone));
        if (zoneOrder !== 0) return zoneOrder;
        const need = (d: RingDevice) => ((wanted.get(d.id) ?? 0) - (counts.get(d.id) ?? 0)) / d.weight;
        return need(b) - need(a);
      });
      const chosen = candidates[0] as RingDevice;
      table[r]![p] = chosen.id;
      counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
    }
  }
  ring.assignments = table.map((row) => row.map((d) => d as number));
  let moved = 0;
  for (const [r, row] of ring.assignments.entries()) for (const [p, dev] of row.entries()) if (previous[r]?.[p] !== dev) moved++;
  return moved;
}
