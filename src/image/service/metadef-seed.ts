/**
 * Loads the metadata definitions Glance ships (metadef-catalog.ts) on the
 * first start, once: a marker row remembers the load, so a restart never
 * brings back what an operator deleted nor overwrites what they changed.
 */
import type { JsonObject } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import { nowIso } from '../../core/time.js';
import { claimCatalogLoad, type ImageDb } from '../store/index.js';
import type { Kysely } from 'kysely';
import type { ImageTables } from '../store/index.js';
import { GLANCE_METADEF_CATALOG } from './metadef-catalog.js';
import { createNamespace } from './metadef-namespaces.js';
import type { AssociationInput, ObjectInput } from './metadef-types.js';

/** One namespace of a bundled catalog. */
export interface CatalogNamespace {
  namespace: string;
  display_name?: string;
  description?: string;
  visibility: 'public' | 'private';
  protected: boolean;
  resource_types: AssociationInput[];
  properties?: Record<string, JsonObject>;
  objects?: ObjectInput[];
  tags?: string[];
}

const CATALOG_NAME = 'glance-etc-metadefs';
/** Glance's loader gives the namespaces it loads this owner. */
const CATALOG_OWNER = 'admin';

export async function loadMetadefCatalog(db: Kysely<ImageTables>, log: Logger): Promise<void> {
  const loaded = await db.transaction().execute(async (trx: ImageDb) => {
    if (!(await claimCatalogLoad(trx, CATALOG_NAME, nowIso()))) return false;
    for (const entry of GLANCE_METADEF_CATALOG) {
      const { resource_types, tags, ...namespace } = entry;
      const input = { ...namespace, resource_type_associations: resource_types, tags: tags?.map((name) => ({ name })) };
      await createNamespace(trx, input, CATALOG_OWNER, true);
    }
    return true;
  });
  if (loaded) log.info({ namespaces: GLANCE_METADEF_CATALOG.length }, "loaded Glance's standard metadata definitions");
}
