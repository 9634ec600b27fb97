/** Row types of the image tables (see migrations/0001-initial.ts) and the records the store returns. */
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { BoolColumn } from '../../core/db/values.js';
import type { MetadefTables } from './metadef-tables.js';

/** A BIGINT: PostgreSQL's driver gives it back as a string, SQLite as a number. */
export type BigIntColumn = ColumnType<number | string, number, number>;
export type NullableBigIntColumn = ColumnType<number | string | null, number | null, number | null>;

export type ImageStatus = 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'uploading' | 'importing' | 'pending_delete' | 'deactivated';

export type Visibility = 'public' | 'private' | 'shared' | 'community';
export type MemberStatus = 'pending' | 'accepted' | 'rejected';

export interface ImageTable {
  id: string;
  name: string | null;
  disk_format: string | null;
  container_format: string | null;
  size: NullableBigIntColumn;
  virtual_size: NullableBigIntColumn;
  status: ImageStatus;
  visibility: Visibility;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  owner: string | null;
  protected: BoolColumn;
  os_hidden: BoolColumn;
  store: string | null;
  location: string | null;
  quota_mib: BigIntColumn;
  upload_lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImagePropertyTable {
  image_id: string;
  name: string;
  value: string;
}

export interface ImageTagTable {
  image_id: string;
  value: string;
}

export interface ImageMemberTable {
  image_id: string;
  member_id: string;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

export type TaskStatus = 'pending' | 'processing' | 'success' | 'failure';

export interface ImageTaskTable {
  id: string;
  type: string;
  status: TaskStatus;
  owner: string | null;
  image_id: string | null;
  user_id: string | null;
  request_id: string | null;
  /** JSON */
  input: string;
  /** JSON or null */
  result: string | null;
  message: string;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type ImageTables = {
  image: ImageTable;
  image_property: ImagePropertyTable;
  image_tag: ImageTagTable;
  image_member: ImageMemberTable;
  image_task: ImageTaskTable;
} & MetadefTables;

export type ImageRow = Selectable<ImageTable>;
export type NewImageRow = Insertable<ImageTable>;
export type ImageUpdate = Updateable<ImageTable>;
export type ImageMember = Selectable<ImageMemberTable>;
export type ImageTaskRow = Selectable<ImageTaskTable>;

/** An image as the service sees it: numbers and booleans converted, with its properties and tags. */
export interface Image {
  id: string;
  name: string | null;
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  virtual_size: number | null;
  status: ImageStatus;
  visibility: Visibility;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  owner: string | null;
  protected: boolean;
  os_hidden: boolean;
  store: string | null;
  location: string | null;
  quota_mib: number;
  upload_lease_until: string | null;
  created_at: string;
  updated_at: string;
  /** Extra properties, by name. */
  properties: Record<string, string>;
  /** Sorted. */
  tags: string[];
}
