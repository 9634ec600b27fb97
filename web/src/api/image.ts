/** The shapes of the Glance resources the panels read (Images API v2). */
import { api } from './client';
import type { Session } from './session';
export interface Image {
  id: string;
  name: string | null;
  status: string;
  visibility: 'public' | 'private' | 'shared' | 'community';
  size: number | null;
  disk_format: string | null;
  container_format: string | null;
  owner: string | null;
  protected: boolean;
}

export const DISK_FORMATS = ['qcow2', 'raw', 'iso', 'vmdk', 'vdi', 'vhd', 'vhdx', 'ami', 'ari', 'aki'] as const;
export const VISIBILITIES = ['private', 'shared', 'community', 'public'] as const;

/** Glance is still writing the image's data: the list polls until none is. */
export function imageBusy(image: Image): boolean {
  return image.status === 'saving' || image.status === 'importing' || image.status === 'uploading';
}

/** `name`, or the id of an unnamed image. */
export const imageLabel = (image: Image) => image.name || image.id;

/** One JSON-patch `replace` of an image attribute, as `openstack image set --public/--protected` sends it. */
export function patchImage(session: Session, image: Image, path: '/visibility' | '/protected', value: string | boolean): Promise<unknown> {
  return api(session, 'image', `/images/${image.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' },
    body: JSON.stringify([{ op: 'replace', path, value }]),
  });
}
