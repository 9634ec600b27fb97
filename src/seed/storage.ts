/**
 * The seed's images (from a file or a small generated disk), volumes, and
 * containers with their objects. Images are found by name among their
 * project's own, volumes by name in their project, objects by name and
 * content (an object whose bytes differ from the seed's is written again).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { emptyQcow2 } from '../compute/operations.js';
import type { SeedImage } from './model.js';
import type { SeedRun } from './run.js';
import type { SeedPath } from './source.js';

const MIB = 1024 * 1024;
/** How long the seed waits for a volume to become available (the fake backend takes a moment, a real one longer). */
const VOLUME_WAIT_MS = 120_000;

export async function applyStorage(run: SeedRun): Promise<void> {
  await applyImages(run);
  await applyVolumes(run);
  await applyContainers(run);
}

async function applyImages(run: SeedRun): Promise<void> {
  for (const [i, image] of (run.seed.images ?? []).entries()) {
    const at = ['images', i];
    const door = run.door('image', at);
    const caller = await run.callerFor(at, image);
    const owner = caller.project?.id ?? null;
    await run.ensure(
      at,
      'image',
      image.name,
      async () => (await door.list(caller, { name: image.name, visibility: 'all', memberStatus: 'all' })).find((found) => found.owner === owner) ?? null,
      () => {
        const { data, size, diskFormat } = imageData(run, at, image);
        return door.register(
          caller,
          {
            name: image.name,
            disk_format: image.disk_format ?? diskFormat,
            container_format: image.container_format ?? 'bare',
            ...(image.visibility !== undefined && { visibility: image.visibility }),
            ...(image.min_disk !== undefined && { min_disk: image.min_disk }),
            ...(image.min_ram !== undefined && { min_ram: image.min_ram }),
            ...(image.properties !== undefined && { properties: image.properties }),
            ...(image.tags !== undefined && { tags: image.tags }),
          },
          data,
          size,
        );
      },
    );
  }
}

/** The image's bytes: its file (relative to the seed), or a blank disk of the asked size and format. */
function imageData(run: SeedRun, at: SeedPath, image: SeedImage): { data: Readable; size: number; diskFormat: string } {
  if (image.generate) {
    const bytes = image.generate.size_mb * MIB;
    const disk = image.generate.format === 'qcow2' ? emptyQcow2(bytes) : Buffer.alloc(bytes);
    return { data: Readable.from([disk]), size: disk.length, diskFormat: image.generate.format };
  }
  const size = run.fileSize([...at, 'file'], image.file);
  return { data: createReadStream(run.path(image.file)), size, diskFormat: 'raw' };
}

async function applyVolumes(run: SeedRun): Promise<void> {
  for (const [i, volume] of (run.seed.volumes ?? []).entries()) {
    const at = ['volumes', i];
    const door = run.door('volume', at);
    const caller = await run.callerFor(at, volume);
    const imageName = volume.image;
    const imageId =
      imageName === undefined ? undefined : (await run.lookup([...at, 'image'], 'image', imageName, () => run.door('image', at).find(caller, imageName))).id;
    const made = await run.ensure(
      at,
      'volume',
      volume.name,
      async () => (await door.listVolumes(caller, { name: volume.name }))[0] ?? null,
      () =>
        door.createVolume(caller, {
          name: volume.name,
          size: volume.size_gb,
          ...(volume.description !== undefined && { description: volume.description }),
          ...(imageId !== undefined && { imageId }),
          ...(volume.volume_type !== undefined && { volumeType: volume.volume_type }),
          ...(volume.availability_zone !== undefined && { availabilityZone: volume.availability_zone }),
          ...(volume.metadata !== undefined && { metadata: volume.metadata }),
        }),
    );
    await run.step(at, `volume '${volume.name}'`, () => door.waitForVolume(caller, made.id, ['available', 'in-use'], VOLUME_WAIT_MS));
  }
}

async function applyContainers(run: SeedRun): Promise<void> {
  for (const [i, container] of (run.seed.containers ?? []).entries()) {
    const at = ['containers', i];
    const door = run.door('object-store', at);
    const caller = await run.callerFor(at, container);
    const created = await run.step(at, `container '${container.name}'`, () =>
      door.createContainer(caller, container.name, {
        ...(container.metadata !== undefined && { metadata: container.metadata }),
        ...(container.read_acl !== undefined && { readAcl: container.read_acl }),
        ...(container.write_acl !== undefined && { writeAcl: container.write_acl }),
      }),
    );
    if (created) run.created += 1;
    for (const [j, object] of (container.objects ?? []).entries()) {
      const place = [...at, 'objects', j];
      const data = run.contentOf(place, object);
      const etag = createHash('md5').update(data).digest('hex');
      const what = `object '${container.name}/${object.name}'`;
      const stored = await run.step(place, what, () => door.listObjects(caller, container.name, object.name));
      if (stored.some((found) => found.name === object.name && found.etag === etag)) continue;
      await run.step(place, what, () =>
        door.putObject(caller, container.name, object.name, data, {
          ...(object.content_type !== undefined && { contentType: object.content_type }),
          ...(object.metadata !== undefined && { metadata: object.metadata }),
        }),
      );
      run.created += 1;
    }
  }
}
