/** The tags extension: tags of any standard-attribute resource, replaced as a set. */
import type { CallerContext } from '../../core/context.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource, ResourceKind } from '../store/index.js';
import { targetOf } from './access.js';
import type { NetworkDeps } from './deps.js';

export type Resolver = (auth: CallerContext, id: string) => Promise<Resource>;

const MAX_TAGS = 50;

export class TagOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly resolvers: Partial<Record<ResourceKind, Resolver>>,
  ) {}

  async get(auth: CallerContext, kind: ResourceKind, id: string): Promise<string[]> {
    return (await this.#resolve(auth, kind, id)).tags;
  }

  async has(auth: CallerContext, kind: ResourceKind, id: string, tag: string): Promise<void> {
    const resource = await this.#resolve(auth, kind, id);
    if (!resource.tags.includes(tag)) throw errors.tagNotFound(kind, id, tag);
  }

  async replace(auth: CallerContext, kind: ResourceKind, id: string, tags: unknown): Promise<string[]> {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === '' || t.length > 255 || t.includes(','))) {
      throw errors.invalidAttribute('tags', `'${JSON.stringify(tags)}' is not a list of valid tags`);
    }
    const unique = [...new Set(tags as string[])];
    if (unique.length > MAX_TAGS) throw errors.invalidAttribute('tags', `more than ${MAX_TAGS} tags`);
    return this.#write(auth, kind, id, () => unique);
  }

  async add(auth: CallerContext, kind: ResourceKind, id: string, tag: string): Promise<void> {
    await this.replace(auth, kind, id, [...(await this.get(auth, kind, id)), tag]);
  }

  async remove(auth: CallerContext, kind: ResourceKind, id: string, tag: string): Promise<void> {
    await this.has(auth, kind, id, tag);
    await this.#write(auth, kind, id, (tags) => tags.filter((t) => t !== tag), 'delete');
  }

  async clear(auth: CallerContext, kind: ResourceKind, id: string): Promise<void> {
    await this.#write(auth, kind, id, () => [], 'delete');
  }

  /** Changes the tags under `update_<kind>:tags` (or `delete_<kind>:tags` when taking them away). */
  async #write(
    auth: CallerContext,
    kind: ResourceKind,
    id: string,
    change: (tags: string[]) => string[],
    verb: 'update' | 'delete' = 'update',
  ): Promise<string[]> {
    const resource = await this.#resolve(auth, kind, id);
    this.deps.access.authorize(auth, `${verb}_${kind}:tags`, targetOf(resource));
    const saved = await store.saveResource(this.deps.db, { ...resource, tags: change(resource.tags) });
    return saved.tags;
  }

  async #resolve(auth: CallerContext, kind: ResourceKind, id: string): Promise<Resource> {
    const resolver = this.resolvers[kind];
    if (!resolver) throw errors.tagsNotSupported(kind);
    return resolver(auth, id);
  }
}
