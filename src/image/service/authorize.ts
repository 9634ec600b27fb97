/**
 * Policy checks on images, as Glance's `ImageAPIPolicy`: the target is the
 * image (`project_id` is its owner, `member_id` the caller's project when it
 * sees a shared image it does not own), and a denial on an image the caller
 * cannot even see is a 404, not a 403, so ids of private images do not leak.
 */
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer, PolicyTarget } from '../../core/policy/index.js';
import { imageErrors } from '../errors.js';
import type { Image } from '../store/index.js';
import type { ImageContext } from './context.js';
import type { ImageDeps } from './deps.js';

/**
 * Glance's rules as core's authorizer, built once (image/index.ts): Glance's
 * policy names are bare (`get_image`), Nimbus registers them under `image:`;
 * `context_is_admin` makes the admin; a denial is oslo.policy's 403.
 */
export function imageAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, { adminRule: 'context_is_admin', ruleName: (action) => `image:${action}`, denied: imageErrors.notAuthorized });
}

export function imageTarget(ctx: ImageContext, image: Image): PolicyTarget {
  const member = image.visibility === 'shared' && ctx.projectId !== image.owner ? ctx.projectId : null;
  return {
    ...image.properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    owner: image.owner,
    project_id: image.owner,
    member_id: member,
    protected: image.protected,
    os_hidden: image.os_hidden,
    container_format: image.container_format,
    disk_format: image.disk_format,
    min_disk: image.min_disk,
    min_ram: image.min_ram,
    size: image.size,
    checksum: image.checksum,
  };
}

export function allowed(deps: ImageDeps, ctx: ImageContext, action: string, target: PolicyTarget): boolean {
  return deps.authz.allowed(ctx.auth, action, target);
}

/** Enforces `action` on a target that is not an existing image (create, listings). */
export function enforce(deps: ImageDeps, ctx: ImageContext, action: string, target: PolicyTarget): void {
  deps.authz.authorize(ctx.auth, action, target);
}

/** The policy of one image the caller found. */
export class ImagePolicy {
  readonly target: PolicyTarget;

  constructor(
    private readonly deps: ImageDeps,
    private readonly ctx: ImageContext,
    readonly image: Image,
  ) {
    this.target = imageTarget(ctx, image);
  }

  check(action: string): boolean {
    return allowed(this.deps, this.ctx, action, this.target);
  }

  /** Throws Forbidden, or NotFound when the caller may not even see the image. */
  enforce(action: string): void {
    if (this.check(action)) return;
    if (action === 'get_image' || !this.check('get_image')) throw imageErrors.imageNotFound(this.image.id);
    throw imageErrors.notAuthorized(action);
  }

  /** A visibility change has its own rule (`publicize_image`, `communitize_image`). */
  enforceVisibility(visibility: unknown): void {
    if (visibility === 'public') this.enforce('publicize_image');
    else if (visibility === 'community') this.enforce('communitize_image');
  }

  /**
   * Glance's legacy owner check (`check_is_image_mutable`), kept as Zed runs
   * it: only an admin or the owner changes an image, whatever the rules say.
   */
  requireMutable(): void {
    if (this.ctx.isAdmin) return;
    if (this.image.owner === null || this.ctx.projectId === null || this.image.owner !== this.ctx.projectId) {
      throw imageErrors.notOwner();
    }
  }
}
