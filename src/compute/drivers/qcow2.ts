/**
 * A valid, empty qcow2 (version 2) disk of a given virtual size: header,
 * refcount table, one refcount block and an all-zero L1 table, 64 KiB
 * clusters — the layout `qemu-img create -f qcow2 -o compat=0.10` writes.
 * Used for the default image and for the fake driver's snapshots, whose
 * guests have no real disk content.
 */
const CLUSTER_BITS = 16;
const CLUSTER = 1 << CLUSTER_BITS;

export function emptyQcow2(virtualSize: number): Buffer {
  const l2Entries = CLUSTER / 8;
  const l1Size = Math.max(1, Math.ceil(virtualSize / (CLUSTER * l2Entries)));
  const l1Clusters = Math.ceil((l1Size * 8) / CLUSTER);
  // cluster 0 header, 1 refcount table, 2 refcount block, 3.. L1 table
  const clusters = 3 + l1Clusters;
  const image = Buffer.alloc(clusters * CLUSTER);
  image.write('QFI\xfb', 0, 'latin1');
  image.writeUInt32BE(2, 4); // version
  image.writeBigUInt64BE(0n, 8); // backing file offset
  image.writeUInt32BE(0, 16); // backing file size
  image.writeUInt32BE(CLUSTER_BITS, 20);
  image.writeBigUInt64BE(BigInt(virtualSize), 24);
  image.writeUInt32BE(0, 32); // no encryption
  image.writeUInt32BE(l1Size, 36);
  image.writeBigUInt64BE(BigInt(3 * CLUSTER), 40); // L1 table offset
  image.writeBigUInt64BE(BigInt(CLUSTER), 48); // refcount table offset
  image.writeUInt32BE(1, 56); // refcount table clusters
  image.writeUInt32BE(0, 60); // snapshots
  image.writeBigUInt64BE(0n, 64);
  // Refcount table: one block, at cluster 2.
  image.writeBigUInt64BE(BigInt(2 * CLUSTER), CLUSTER);
  // Refcount block: every cluster of the file is used once (16-bit entries).
  for (let i = 0; i < clusters; i++) image.writeUInt16BE(1, 2 * CLUSTER + i * 2);
  return image;
}
