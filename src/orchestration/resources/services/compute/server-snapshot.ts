/**
 * OS::Nova::Server in stack snapshots, as Heat does it: a snapshot images
 * the server (Nova's createImage, named by the resource's physical name) and
 * keeps the image as the resource's `snapshot_image_id` data, waiting until
 * the image is active and the server's snapshot task is over; a restore gives
 * the server its snapshot-time properties with that image, so the update
 * rebuilds it from the image (or replaces it, by `image_update_policy`);
 * deleting the snapshot deletes the image.
 */
import { isJsonObject, type Json, type JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin, ResourceSnapshot } from '../../types.js';
import { failures } from '../errors.js';
import { deleteUnlessGone, door, pollUntil, unlessGone } from '../support.js';

const IMAGE_KEY = 'snapshot_image_id';
/** List properties whose items Heat cleans of null values on restore. */
const LISTS_OF_MAPS = ['block_device_mapping', 'block_device_mapping_v2', 'networks'];

async function snapshot(ctx: ResourceContext): Promise<void> {
  const serverId = ctx.resource.physicalId;
  if (serverId === null) return;
  // A snapshot cut short by a crash left its image still being filled: that one is waited for, not made twice.
  const earlier = ctx.resource.data[IMAGE_KEY];
  const unfinished = earlier === undefined ? null : await unlessGone(door(ctx.services, 'image').get(ctx.caller, earlier));
  const imageId =
    unfinished !== null && ['queued', 'saving'].includes(unfinished.status)
      ? unfinished.id
      : await door(ctx.services, 'compute').createServerImage(ctx.caller, serverId, ctx.resource.physicalName);
  await ctx.setData(IMAGE_KEY, imageId);
  await pollUntil(
    ctx,
    () => door(ctx.services, 'image').get(ctx.caller, imageId),
    (image) => {
      if (image.status === 'killed' || image.status === 'deleted') throw failures.plain(image.status);
      return image.status === 'active';
    },
  );
  await door(ctx.services, 'compute').waitForServer(ctx.caller, serverId, ['ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED']);
}

const withoutNulls = (item: Json): Json => (isJsonObject(item) ? Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null)) : item);

function restoreProperties(entry: ResourceSnapshot): JsonObject {
  const imageId = entry.data[IMAGE_KEY];
  if (imageId === undefined) return entry.properties;
  const kept = Object.entries(entry.properties)
    .filter(([, value]) => value !== null)
    .map(([key, value]): [string, Json] => [key, LISTS_OF_MAPS.includes(key) && Array.isArray(value) ? value.map(withoutNulls) : value]);
  return { ...Object.fromEntries(kept), image: imageId };
}

export const serverSnapshots: Pick<ResourcePlugin, 'snapshot' | 'restoreProperties' | 'deleteSnapshot'> = {
  snapshot,
  restoreProperties,
  async deleteSnapshot(ctx, entry) {
    const imageId = entry.data[IMAGE_KEY];
    if (imageId !== undefined) await deleteUnlessGone(door(ctx.services, 'image').delete(ctx.caller, imageId));
  },
};
