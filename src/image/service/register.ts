/**
 * Registering an image from code (another service's default image, a test
 * fixture): create it, then stream its data in, with the caller's context so
 * policy and quotas hold as for an API call.
 */
import type { Image } from '../store/index.js';
import type { ImageContext } from './context.js';
import type { ImageData, ImageDataOps } from './data.js';
import type { ImageOps, NewImage } from './images.js';

export async function registerImage(
  ops: { images: ImageOps; data: ImageDataOps },
  ctx: ImageContext,
  image: NewImage & { disk_format: string; container_format: string },
  data: ImageData,
  size: number | null = null,
): Promise<Image> {
  const created = await ops.images.create(ctx, image);
  try {
    await ops.data.upload(ctx, created.id, data, { size });
  } catch (error) {
    await ops.images.delete(ctx, created.id).catch(() => undefined);
    throw error;
  }
  return ops.images.get(ctx, created.id);
}
