/**
 * A server's requested block devices that are volumes (Nova's
 * block_device_mapping rows with destination_type volume), kept in the
 * server's attrs. The build fills in `volumeId` (for image, snapshot and
 * blank sources, once it created the volume) and `attachmentId` as it goes,
 * so an undo after a failure or a crash knows what to give back.
 */
export interface BlockDevice {
  sourceType: 'image' | 'volume' | 'snapshot' | 'blank';
  /** The image, snapshot or volume the device comes from; null for blank. */
  sourceId: string | null;
  /** 0 for the root disk; null (or negative) when not bootable. */
  bootIndex: number | null;
  /** GiB; for a given volume or a snapshot the source's size when not asked. */
  volumeSize: number | null;
  deleteOnTermination: boolean;
  /** The device the user asked for (/dev/vdb), or null for the next free one. */
  deviceName: string | null;
  tag: string | null;
  volumeType: string | null;
  volumeId: string | null;
  attachmentId: string | null;
}

/** Whether the build made the volume (and so deletes it when the build fails). */
export function madeByBuild(device: BlockDevice): boolean {
  return device.sourceType !== 'volume';
}
