/** OS-OAUTH1 consumers: the applications that ask for delegated access (the flow is in oauth1-flow.ts). */
import { randomBytes } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Consumer } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { requireMatchingId } from './validation.js';

const CONSUMER_FIELDS = ['id', 'description', 'secret', 'links'] as const;

export class ConsumerOps {
  constructor(private readonly deps: IdentityDeps) {}

  /** The only answer that carries the consumer's secret. */
  async create(auth: CallerContext, body: Attributes): Promise<Consumer> {
    this.deps.authz.authorize(auth, 'create_consumer');
    const id = hexId();
    await store.insertConsumer(this.deps.db, {
      id,
      description: (body.description as string | null | undefined) ?? null,
      secret: randomBytes(16).toString('hex'),
      extra: extraOf(body, CONSUMER_FIELDS),
    });
    return store.getConsumerOrThrow(this.deps.db, id);
  }

  async get(auth: CallerContext, id: string): Promise<Consumer> {
    this.deps.authz.authorize(auth, 'get_consumer');
    return store.getConsumerOrThrow(this.deps.db, id);
  }

  async list(auth: CallerContext): Promise<Consumer[]> {
    this.deps.authz.authorize(auth, 'list_consumers');
    return store.listConsumers(this.deps.db);
  }

  async update(auth: CallerContext, id: string, patch: Attributes): Promise<Consumer> {
    this.deps.authz.authorize(auth, 'update_consumer');
    requireMatchingId(patch, id);
    const consumer = await store.getConsumerOrThrow(this.deps.db, id);
    await store.updateConsumer(this.deps.db, id, {
      ...(patch.description !== undefined && { description: patch.description as string | null }),
      extra: mergeExtra(consumer.extra, patch, CONSUMER_FIELDS),
    });
    return store.getConsumerOrThrow(this.deps.db, id);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_consumer');
    await store.getConsumerOrThrow(this.deps.db, id);
    // Its request and access tokens go with it, and so do the tokens issued from those.
    await this.deps.db.transaction().execute((trx) => store.deleteConsumer(trx, id));
  }
}
