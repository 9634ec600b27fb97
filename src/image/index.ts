/**
 * The image service (Glance v2) as a Nimbus service module: migrations,
 * default policy, catalog entry (`image`/`glance`, unversioned URL), routes
 * under /image, the `file` store under `<data-dir>/images/` with its staging
 * area, the durable import and purge tasks, and the recovery of uploads a
 * crash cut short.
 */
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { authenticateRequest } from '../core/http/authenticate.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { imageApiRoutes, allowedMethods, type ImageApi } from './api/index.js';
import { ImageValidator } from './api/schemas.js';
import { sendVersions } from './api/versions.js';
import { FileStore, type ImageStore } from './drivers/index.js';
import { installGlanceErrorHandlers } from './errors.js';
import type { ImageConfig } from './config.js';
import { imageMigrations } from './migrations/index.js';
import { imagePolicyDefaults } from './policies.js';
import { imageAuthorizer } from './service/authorize.js';
import {
  defineImageTasks,
  imageOptions,
  imageServiceOps,
  loadMetadefCatalog,
  registerImageQuotas,
  type ImageDeps,
  type ImageServiceOps,
  type ImageStores,
} from './service/index.js';
import { imageOperations } from './operations.js';
import { imageDb, releaseExpiredUploads } from './store/index.js';
import { imageErrors } from './errors.js';

export const IMAGE_PREFIX = '/image';

/** Temporaries older than this are leftovers of a crash (an upload that slow would have renewed its lease elsewhere). */
const SWEEP_AFTER_MS = 3_600_000;
const RECOVERY_INTERVAL_MS = 15_000;

/** The config section the image service reads besides core's. */
type ImageSections = { image: ImageConfig };

export const imageModule: ServiceModule<ImageSections> = {
  name: 'image',
  prefix: IMAGE_PREFIX,
  migrations: imageMigrations,
  policyDefaults: imagePolicyDefaults,
  catalog: [{ type: 'image', name: 'glance', path: IMAGE_PREFIX }],
  init: initImage,
};

/** The stores of this host: `file` under `<data-dir>/images`, staging under `<data-dir>/image-staging`. */
export function fileStores(dataDir: string): ImageStores {
  const file = new FileStore({ id: 'file', root: join(dataDir, 'images'), description: 'Images in the data directory' });
  const staging = new FileStore({ id: 'os_glance_staging_store', root: join(dataDir, 'image-staging') });
  const all: ImageStore[] = [file];
  return { default: file, staging, all, get: (id) => all.find((s) => s.id === id) };
}

async function initImage(deps: ServiceDeps<ImageSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ component: 'image' });
  const stores = fileStores(deps.dataDir);
  const imageDeps: ImageDeps = {
    db: imageDb(deps.db),
    authz: imageAuthorizer(deps.policy),
    log,
    stores,
    quota: registerImageQuotas(deps.quotas),
    queue: deps.tasks,
    kinds: null,
    options: imageOptions(deps.config.image),
    events: deps.events,
    faults: deps.faults,
  };
  const ops: ImageServiceOps = imageServiceOps(imageDeps);
  imageDeps.kinds = defineImageTasks(deps.tasks, ops);
  await loadMetadefCatalog(imageDeps.db, log);
  for (const store of [...stores.all, stores.staging]) {
    const swept = await store.sweep(SWEEP_AFTER_MS);
    if (swept > 0) log.info({ store: store.id, swept }, 'removed image data temporaries left by a crash');
  }

  const recover = async () => {
    try {
      // Upload leases prove a live writer, so they run on the real clock, not the cloud's (which tests move forward).
      const released = await releaseExpiredUploads(imageDeps.db, new Date().toISOString());
      if (released.length > 0) log.warn({ images: released.map((r) => r.id) }, 'uploads abandoned by a stopped process: images back to queued');
      // The lapsed lease proves its writer stopped: its temporaries (last written before the lease ran out)
      // go now, not an hour later. A new upload's temporary, written after the release, is younger and stays.
      for (const { id, leaseUntil } of released) {
        for (const store of stores.all) await store.sweep(Date.now() - Date.parse(leaseUntil), id);
      }
    } catch (err) {
      log.warn({ err }, 'recovering abandoned uploads failed');
    }
  };
  let timer: NodeJS.Timeout | undefined;

  const api: ImageApi = {
    ops,
    options: imageDeps.options,
    validator: new ImageValidator(imageDeps.options),
    async context(request: FastifyRequest) {
      if (deps.authenticator === null) throw imageErrors.identityNotReady();
      return ops.context(await authenticateRequest(request, deps.authenticator));
    },
    root: () => deps.publicUrl() + IMAGE_PREFIX,
  };

  return {
    operations: imageOperations(ops),
    // The file stores write each image under a temporary name and rename it into place.
    stateFiles: [
      { path: 'images', writeOnce: true },
      { path: 'image-staging', writeOnce: true },
    ],
    async routes(scope) {
      installGlanceErrorHandlers(scope, {
        prefix: IMAGE_PREFIX,
        allowedMethods,
        unknownVersion(_request, reply, path) {
          if (path === '/v2' || path.startsWith('/v2/')) return false;
          void sendVersions(reply, api, 300);
          return true;
        },
      });
      imageApiRoutes(scope, api, IMAGE_PREFIX);
    },
    async ready() {
      await recover();
      timer = setInterval(() => void recover(), RECOVERY_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
