/**
 * Image sharing (Glance's image members). The owner of a `shared` image
 * offers it to other projects (`pending`); each consumer accepts or rejects
 * it for itself, which decides whether the image is in its default listing.
 * The owner sees every member, a consumer only its own membership; only
 * the owner adds and removes members, only the consumer answers.
 */
import { NotFound, PayloadTooLarge } from '../../core/errors.js';
import { nowIso } from '../../core/time.js';
import * as store from '../store/index.js';
import type { Image, ImageMember, MemberStatus } from '../store/index.js';
import { checkCount } from './attributes.js';
import { ImagePolicy } from './authorize.js';
import type { ImageContext } from './context.js';
import type { ImageDeps } from './deps.js';
import type { ImageOps } from './images.js';
import { imageErrors } from '../errors.js';

const STATUSES: readonly MemberStatus[] = ['pending', 'accepted', 'rejected'];

export class MemberOps {
  constructor(
    private readonly deps: ImageDeps,
    private readonly images: ImageOps,
  ) {}

  async create(ctx: ImageContext, imageId: string, memberId: string): Promise<ImageMember> {
    const image = await this.#image(ctx, imageId);
    const refused = imageErrors.membersRefused('create', imageId);
    if (image.visibility !== 'shared' || !this.#isOwner(ctx, image)) throw refused;
    if (!new ImagePolicy(this.deps, ctx, image).check('add_member')) throw refused;
    try {
      checkCount('members', (await store.countMembers(this.deps.db, imageId)) + 1, this.deps.options.imageMemberQuota);
    } catch (error) {
      if (error instanceof PayloadTooLarge) throw imageErrors.memberLimit(imageId, error.message);
      throw error;
    }
    const now = nowIso();
    const member: ImageMember = { image_id: imageId, member_id: memberId, status: 'pending', created_at: now, updated_at: now };
    await store.insertMember(this.deps.db, member);
    return member;
  }

  async list(ctx: ImageContext, imageId: string): Promise<ImageMember[]> {
    const image = await this.#image(ctx, imageId);
    if (image.visibility !== 'shared') {
      throw imageErrors.membersListRefused(imageId, 'Only shared images have members.');
    }
    if (!new ImagePolicy(this.deps, ctx, image).check('get_members')) {
      throw imageErrors.membersListRefused(imageId, 'You are not authorized to complete get_members action.');
    }
    return store.listMembers(this.deps.db, imageId, this.#isOwner(ctx, image) ? undefined : (ctx.projectId ?? ''));
  }

  /** A membership; 404 for anything the caller may not see (Glance hides rather than forbids here). */
  async get(ctx: ImageContext, imageId: string, memberId: string): Promise<ImageMember> {
    const image = await this.#image(ctx, imageId);
    if (image.visibility !== 'shared') throw imageErrors.onlySharedHaveMembers();
    return this.#member(ctx, image, memberId);
  }

  async update(ctx: ImageContext, imageId: string, memberId: string, status: unknown): Promise<ImageMember> {
    const image = await this.#image(ctx, imageId);
    const refused = imageErrors.membersRefused('update', imageId);
    if (image.visibility !== 'shared') throw refused;
    // The owner offers; only the consumer answers.
    if (!ctx.isAdmin && ctx.projectId === image.owner) throw refused;
    await this.#member(ctx, image, memberId);
    if (!new ImagePolicy(this.deps, ctx, image).check('modify_member') || (!ctx.isAdmin && memberId !== ctx.projectId)) throw refused;
    if (typeof status !== 'string' || !STATUSES.includes(status as MemberStatus)) {
      throw imageErrors.memberStatusInvalid();
    }
    await store.updateMemberStatus(this.deps.db, imageId, memberId, status as MemberStatus, nowIso());
    return this.#member(ctx, image, memberId);
  }

  async delete(ctx: ImageContext, imageId: string, memberId: string): Promise<void> {
    const image = await this.#image(ctx, imageId);
    const refused = imageErrors.membersRefused('delete', imageId);
    if (image.visibility !== 'shared' || !this.#isOwner(ctx, image)) throw refused;
    await this.#member(ctx, image, memberId);
    if (!new ImagePolicy(this.deps, ctx, image).check('delete_member')) throw refused;
    await store.deleteMember(this.deps.db, imageId, memberId);
  }

  async #image(ctx: ImageContext, imageId: string): Promise<Image> {
    try {
      return await this.images.find(ctx, imageId);
    } catch (error) {
      if (error instanceof NotFound) throw imageErrors.imageOfMembersNotFound(imageId);
      throw error;
    }
  }

  #isOwner(ctx: ImageContext, image: Image): boolean {
    return ctx.isAdmin || (ctx.projectId !== null && image.owner === ctx.projectId);
  }

  /** The membership if the caller may see it: the owner sees all, a consumer its own. */
  async #member(ctx: ImageContext, image: Image, memberId: string): Promise<ImageMember> {
    const notFound = imageErrors.memberNotFound(memberId, image.id);
    if (!new ImagePolicy(this.deps, ctx, image).check('get_member')) {
      throw imageErrors.membersHidden(image.id);
    }
    if (!this.#isOwner(ctx, image) && memberId !== ctx.projectId) throw notFound;
    const member = await store.getMember(this.deps.db, image.id, memberId);
    if (!member) throw notFound;
    return member;
  }
}
