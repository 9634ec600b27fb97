/** os-migrations: the migration records of every server (admin), newest first, with Nova's filters and 2.59 paging. */
import type { CallerContext } from '../../core/context.js';
import * as store from '../store/index.js';
import type { Migration, MigrationQuery } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import { pageAfter } from './paging.js';

export class MigrationOps {
  constructor(private readonly deps: ComputeDeps) {}

  async list(auth: CallerContext, query: MigrationQuery, page: { marker?: string; limit?: number } = {}): Promise<Migration[]> {
    authorize(this.deps, auth, 'os_compute_api:os-migrations:index');
    return pageAfter(await store.searchMigrations(this.deps.db, query), page, (m) => m.uuid);
  }
}
