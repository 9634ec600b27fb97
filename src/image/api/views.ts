/** Images, members and tasks as Glance renders them (links are paths: `/v2/images/<id>`). */
import { isoSeconds } from '../../core/time.js';
import type { Image, ImageMember, ImageTaskRow } from '../store/index.js';

/** Properties Glance keeps for itself and never shows. */
const HIDDEN_PROPERTIES = ['os_glance_stage_host', 'os_glance_hash_op_host'];

export function imageView(image: Image): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(image.properties)) {
    if (!HIDDEN_PROPERTIES.includes(name)) view[name] = value;
  }
  Object.assign(view, {
    name: image.name,
    disk_format: image.disk_format,
    container_format: image.container_format,
    visibility: image.visibility,
    size: image.size,
    virtual_size: image.virtual_size,
    status: image.status,
    checksum: image.checksum,
    protected: image.protected,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    owner: image.owner,
    os_hidden: image.os_hidden,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    id: image.id,
    created_at: isoSeconds(image.created_at),
    updated_at: isoSeconds(image.updated_at),
    tags: image.tags,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  });
  // With several stores enabled Glance names the ones holding the data.
  if (image.store !== null && image.location !== null) view.stores = image.store;
  return view;
}

export function memberView(member: ImageMember): Record<string, unknown> {
  return {
    member_id: member.member_id,
    image_id: member.image_id,
    status: member.status,
    created_at: isoSeconds(member.created_at),
    updated_at: isoSeconds(member.updated_at),
    schema: '/v2/schemas/member',
  };
}

export function taskView(task: ImageTaskRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: task.id,
    input: JSON.parse(task.input) as unknown,
    type: task.type,
    status: task.status,
    owner: task.owner,
    message: task.message,
    result: task.result === null ? null : (JSON.parse(task.result) as unknown),
    created_at: isoSeconds(task.created_at),
    updated_at: isoSeconds(task.updated_at),
    self: `/v2/tasks/${task.id}`,
    schema: '/v2/schemas/task',
  };
  if (task.image_id !== null) view.image_id = task.image_id;
  if (task.request_id !== null) view.request_id = task.request_id;
  if (task.user_id !== null) view.user_id = task.user_id;
  if (task.expires_at !== null) view.expires_at = isoSeconds(task.expires_at);
  return view;
}

/** A task as `/v2/tasks` lists it (Glance's task stub). */
export function taskStubView(task: ImageTaskRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: task.id,
    type: task.type,
    status: task.status,
    owner: task.owner,
    created_at: isoSeconds(task.created_at),
    updated_at: isoSeconds(task.updated_at),
    self: `/v2/tasks/${task.id}`,
    schema: '/v2/schemas/task',
  };
  if (task.expires_at !== null) view.expires_at = isoSeconds(task.expires_at);
  return view;
}
