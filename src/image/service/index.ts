/**
 * The image service layer: what its REST API calls with Glance's view of the
 * caller (`ImageContext`). Other services use the public operations built on
 * it (`../operations.ts`), never this.
 */
import type { CallerContext } from '../../core/context.js';
import { imageContext, type ImageContext } from './context.js';
import { ImageDataOps } from './data.js';
import type { ImageDeps } from './deps.js';
import { ImageOps } from './images.js';
import { ImportOps } from './import.js';
import { MemberOps } from './members.js';
import { MetadefContentOps } from './metadef-content.js';
import { MetadefNamespaceOps } from './metadef-namespaces.js';
import type { ImageQuota } from './quotas.js';

export interface ImageServiceOps {
  images: ImageOps;
  data: ImageDataOps;
  members: MemberOps;
  imports: ImportOps;
  /** The metadata definitions catalog (`/v2/metadefs`). */
  metadefs: { namespaces: MetadefNamespaceOps; content: MetadefContentOps };
  /** The image quotas (image_count_total, image_size_total in MiB), for an operator or a quota API. */
  quota: ImageQuota;
  /** The Glance view of a caller (its project, whether it is an admin). */
  context(auth: CallerContext): ImageContext;
}

export function imageServiceOps(deps: ImageDeps): ImageServiceOps {
  const images = new ImageOps(deps);
  const data = new ImageDataOps(deps, images);
  const namespaces = new MetadefNamespaceOps(deps);
  return {
    images,
    data,
    members: new MemberOps(deps, images),
    imports: new ImportOps(deps, images, data),
    metadefs: { namespaces, content: new MetadefContentOps(deps, namespaces) },
    quota: deps.quota,
    context: (auth) => imageContext(deps.authz, auth),
  };
}

export type { ImageContext } from './context.js';
export type { ImageDeps, ImageStores } from './deps.js';
export type { NewImage, ImageChange, ImageListRequest } from './images.js';
export type { Download, ImageData } from './data.js';
export type { ImportRequest, StoreInfo } from './import.js';
export type * from './metadef-types.js';
export { NAMESPACE_SORT_KEYS } from './metadef-types.js';
export { loadMetadefCatalog } from './metadef-seed.js';
export { defineImageTasks } from './task-kinds.js';
export { DEFAULT_IMAGE_OPTIONS, imageOptions, type ImageOptions, type ImportFiltering } from './options.js';
export { registerImageQuotas, MIB } from './quotas.js';
export * from './attributes.js';
