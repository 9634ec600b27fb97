/** os-migrations: the migration records of every server (admin), newest first, with Nova's filters and 2.59 paging. */
import type { AuthContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import * as store from '../store/index.js';
import type { Migration, MigrationQuery } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';

export class MigrationOps {
  constructor(private readonly deps: ComputeDeps) {}

  async list(auth: AuthContext, query: MigrationQuery, page: { marker?: string; limit?: number } = {}): Promise<Migration[]> {
    authorize(this.deps, auth, 'os_compute_api:os-migrations:index');
    const migrations = await store.searchMigrations(this.deps.db, query);
    let from = 0;
    if (page.marker !== undefined) {
      const at = migrations.findIndex((m) => m.uuid === page.marker);
      if (at < 0) throw new BadRequest(`Marker ${page.marker} could not be found.`);
      from = at + 1;
    }
    return migrations.slice(from, page.limit !== undefined ? from + page.limit : undefined);
  }
}
