/**
 * OS::Glance::WebImage (Heat 12.0.0+): an image whose data Glance fetches
 * itself from `location` with the `web-download` import method. Created
 * `queued`, imported, and done once `active` (then deactivated when
 * `active: false`, which needs an admin). Unlike Heat, which waits for
 * `active` until the stack times out, a download Glance gave up on (the image
 * back in `queued` with `os_glance_failed_import`) fails the resource at once.
 *
 * As every Nimbus service type, the image is named by the template or else by
 * the resource's physical name, so a create cut short finds its image again.
 */
import { BadRequest, NimbusError } from '../../../../core/errors.js';
import type { Image, ImageUpdate } from '../../../../image/operations.js';
import type { Json } from '../../../json.js';
import type { PropertyChange, ResourceContext, ResourcePlugin } from '../../types.js';
import { failures } from '../errors.js';
import { allowed, boolean, integer, list, map, range, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, deleteUnlessGone, door, flag, integer as integerOf, pollUntil, stringMap, strings, text } from '../support.js';

const glance = (ctx: ResourceContext) => door(ctx.services, 'image');

const GLANCE_ID = { allowed_pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$' };

/** Properties Heat passes to Glance as the image's extra properties of the same name. */
const PROPERTY_NAMES = ['architecture', 'kernel_id', 'os_distro', 'os_version', 'ramdisk_id'] as const;

function extraProperties(p: Record<string, Json>): Record<string, string> {
  const named = PROPERTY_NAMES.flatMap((key) => (typeof p[key] === 'string' ? [[key, p[key]] as const] : []));
  return { ...Object.fromEntries(named), ...stringMap(p, 'extra_properties') };
}

/** Glance's image view: attributes with the extra properties alongside. */
function imageView(image: Image): Record<string, Json> {
  const { properties, ...attributes } = image;
  return asJson({ ...properties, ...attributes });
}

/** Waits for the import: `active` is done; back in `queued` with a failed store means Glance gave up. */
async function awaitImport(ctx: ResourceContext, id: string): Promise<Image> {
  return pollUntil(
    ctx,
    () => glance(ctx).get(ctx.caller, id),
    (image) => {
      if (image.status === 'killed') throw failures.inError(image.status, 'Unknown');
      if (image.status === 'queued' && image.properties.os_glance_failed_import) {
        throw failures.inError(image.status, `web-download import from the location failed (stores: ${image.properties.os_glance_failed_import})`);
      }
      return image.status === 'active' || image.status === 'deactivated';
    },
  );
}

/** Adds and removes members; one already there (a retried create added it) is a 409 taken as done. */
async function syncMembers(ctx: ResourceContext, id: string, previous: string[], wanted: string[]): Promise<void> {
  for (const member of wanted) {
    if (previous.includes(member)) continue;
    await glance(ctx)
      .addMember(ctx.caller, id, member)
      .catch((error: unknown) => {
        if (!(error instanceof NimbusError && error.status === 409)) throw error;
      });
  }
  for (const member of previous) if (!wanted.includes(member)) await deleteUnlessGone(glance(ctx).removeMember(ctx.caller, id, member));
}

async function update(ctx: ResourceContext, id: string, change: PropertyChange): Promise<void> {
  const { properties: p, previous, changed } = change;
  const wanted: ImageUpdate = {};
  if (changed.includes('protected')) wanted.protected = flag(p, 'protected') ?? false;
  if (changed.includes('visibility')) wanted.visibility = text(p, 'visibility') as ImageUpdate['visibility'];
  if (changed.includes('tags')) wanted.tags = strings(p, 'tags');
  if (changed.includes('owner')) wanted.owner = text(p, 'owner') ?? null;
  if (changed.some((name) => (PROPERTY_NAMES as readonly string[]).includes(name) || name === 'extra_properties')) {
    const next = extraProperties(p);
    const gone = Object.keys(extraProperties(previous)).filter((key) => !(key in next));
    wanted.properties = { ...Object.fromEntries(gone.map((key) => [key, null])), ...next };
  }
  if (Object.keys(wanted).length > 0) await glance(ctx).update(ctx.caller, id, wanted);
  if (changed.includes('members')) await syncMembers(ctx, id, strings(previous, 'members'), strings(p, 'members'));
  if (changed.includes('active')) await glance(ctx).setActive(ctx.caller, id, flag(p, 'active') ?? true);
}

const plugin = serviceResource<Image>(
  {
    type: 'OS::Glance::WebImage',
    description: 'A resource managing images in Glance using web-download import.',
    nameProperty: 'name',
    properties: {
      name: string('Name for the image. The name of an image is not unique to a Image Service node.'),
      id: string('The image ID. Glance will generate a UUID if not specified.'),
      min_disk: integer('Amount of disk space (in GB) required to boot image. Default value is 0 if not specified and means no limit on the disk size.', {
        constraints: [range(0)],
        default: 0,
      }),
      min_ram: integer('Amount of ram (in MB) required to boot image. Default value is 0 if not specified and means no limit on the ram size.', {
        constraints: [range(0)],
        default: 0,
      }),
      protected: boolean('Whether the image can be deleted. If the value is True, the image is protected and cannot be deleted.', {
        updateAllowed: true,
        default: false,
      }),
      disk_format: string('Disk format of image.', {
        required: true,
        constraints: [allowed('ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop')],
      }),
      container_format: string('Container format of image.', {
        required: true,
        constraints: [allowed('ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker')],
      }),
      location: string(
        'URL where the data for this image already resides. For example, if the image data is stored in swift, you could specify "swift://example.com/container/obj".',
        { required: true },
      ),
      tags: list('List of image tags.', { updateAllowed: true }),
      architecture: string('Operating system architecture.', { updateAllowed: true }),
      kernel_id: string('ID of image stored in Glance that should be used as the kernel when booting an AMI-style image.', {
        updateAllowed: true,
        constraints: [GLANCE_ID],
      }),
      os_distro: string('The common name of the operating system distribution in lowercase.', { updateAllowed: true }),
      os_version: string('Operating system version as specified by the distributor.', { updateAllowed: true }),
      owner: string('Owner of the image.', { updateAllowed: true }),
      extra_properties: map('Arbitrary properties to associate with the image.', {
        updateAllowed: true,
        default: {},
        supportStatus: { status: 'SUPPORTED', version: '17.0.0' },
      }),
      visibility: string('Scope of image accessibility.', {
        updateAllowed: true,
        default: 'private',
        constraints: [allowed('public', 'private', 'community', 'shared')],
      }),
      ramdisk_id: string('ID of image stored in Glance that should be used as the ramdisk when booting an AMI-style image.', {
        updateAllowed: true,
        constraints: [GLANCE_ID],
      }),
      active: boolean('Activate or deactivate the image. Requires Admin Access.', {
        default: true,
        updateAllowed: true,
        supportStatus: { status: 'SUPPORTED', version: '16.0.0' },
      }),
      members: stringList(
        'List of additional members that are permitted to read the image. This may be a Keystone Project IDs or User IDs, depending on the Glance configuration in use.',
        { updateAllowed: true, supportStatus: { status: 'SUPPORTED', version: '16.0.0' } },
      ),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => glance(ctx).get(ctx.caller, id),
    findByName: async (ctx, name) => (await glance(ctx).list(ctx.caller, { name, visibility: 'all', limit: 1 }))[0] ?? null,
    create: (ctx, p, name) => {
      const id = text(p, 'id');
      const owner = text(p, 'owner');
      return glance(ctx).create(ctx.caller, {
        ...(id !== undefined && { id }),
        ...(owner !== undefined && { owner }),
        name,
        disk_format: text(p, 'disk_format') ?? null,
        container_format: text(p, 'container_format') ?? null,
        min_disk: integerOf(p, 'min_disk') ?? 0,
        min_ram: integerOf(p, 'min_ram') ?? 0,
        protected: flag(p, 'protected') ?? false,
        visibility: (text(p, 'visibility') ?? 'private') as Image['visibility'],
        tags: strings(p, 'tags'),
        properties: extraProperties(p),
      });
    },
    async awaitReady(ctx, image, p) {
      // A retried create finds the image already importing, imported, or back in queued after a failed download.
      if (image.status === 'queued' && !image.properties.os_glance_failed_import) {
        await glance(ctx).importFromUri(ctx.caller, image.id, text(p, 'location') ?? '');
      }
      await syncMembers(ctx, image.id, [], strings(p, 'members'));
      const imported = await awaitImport(ctx, image.id);
      if (flag(p, 'active') === false && imported.status === 'active') await glance(ctx).setActive(ctx.caller, image.id, false);
    },
    update,
    remove: (ctx, id) => glance(ctx).delete(ctx.caller, id),
    idOf: (image) => image.id,
    view: imageView,
  },
);

export const glanceWebImageResource: ResourcePlugin = {
  ...plugin,
  supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
  async validate(p) {
    const container = text(p, 'container_format');
    if (container !== undefined && ['ami', 'ari', 'aki'].includes(container) && text(p, 'disk_format') !== container) {
      throw new BadRequest(
        "Invalid mix of disk and container formats. When setting a disk or container format to one of 'aki', 'ari', or 'ami', the container and disk formats must match.",
        { type: 'StackValidationFailed' },
      );
    }
    if (strings(p, 'members').length > 0 && text(p, 'visibility') !== 'shared') {
      throw new BadRequest('members property should only be specified for visibility with value shared.', { type: 'ResourcePropertyValueDependency' });
    }
  },
};
