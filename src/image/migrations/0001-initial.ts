/** Glance's tables as Nimbus keeps them. Frozen: never edit, add a new migration. */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const text = 'text' as const;
  const bool = 'boolean' as const;

  // Deleted images are removed, not flagged: Glance's soft delete only serves
  // its scrubber and `changes-since`, which v2 no longer offers.
  await db.schema
    .createTable('image')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('disk_format', 'varchar(20)')
    .addColumn('container_format', 'varchar(20)')
    .addColumn('size', 'bigint')
    .addColumn('virtual_size', 'bigint')
    .addColumn('status', 'varchar(30)', (c) => c.notNull())
    .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
    .addColumn('checksum', 'varchar(32)')
    .addColumn('os_hash_algo', 'varchar(64)')
    .addColumn('os_hash_value', 'varchar(128)')
    .addColumn('min_disk', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('min_ram', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner', 'varchar(255)')
    .addColumn('protected', bool, (c) => c.notNull())
    .addColumn('os_hidden', bool, (c) => c.notNull())
    // Where the data is: the store id and the store's own location.
    .addColumn('store', 'varchar(255)')
    .addColumn('location', text)
    // MiB this image holds against the owner's image_size_total quota.
    .addColumn('quota_mib', 'bigint', (c) => c.notNull().defaultTo(0))
    // While `saving`: until when the uploading process vouches for the upload.
    .addColumn('upload_lease_until', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('image_owner').on('image').column('owner').execute();
  await db.schema.createIndex('image_visibility').on('image').column('visibility').execute();
  await db.schema.createIndex('image_status').on('image').column('status').execute();
  await db.schema.createIndex('image_created_at').on('image').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('image_property')
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('image_property_pk', ['image_id', 'name'])
    .execute();
  await db.schema.createIndex('image_property_name_value').on('image_property').columns(['name', 'image_id']).execute();

  await db.schema
    .createTable('image_tag')
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_tag_pk', ['image_id', 'value'])
    .execute();
  await db.schema.createIndex('image_tag_value').on('image_tag').columns(['value', 'image_id']).execute();

  await db.schema
    .createTable('image_member')
    .addColumn('image_id', 'varchar(36)', (c) => c.notNull().references('image.id').onDelete('cascade'))
    .addColumn('member_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('image_member_pk', ['image_id', 'member_id'])
    .execute();
  await db.schema.createIndex('image_member_member').on('image_member').columns(['member_id', 'status']).execute();

  // Glance's tasks of image imports (`GET /v2/images/{id}/tasks`, `/v2/tasks`).
  // Not tied to the image row: like Glance, a task outlives its image.
  await db.schema
    .createTable('image_task')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('type', 'varchar(30)', (c) => c.notNull())
    .addColumn('status', 'varchar(30)', (c) => c.notNull())
    .addColumn('owner', 'varchar(255)')
    .addColumn('image_id', 'varchar(36)')
    .addColumn('user_id', 'varchar(64)')
    .addColumn('request_id', 'varchar(64)')
    .addColumn('input', text, (c) => c.notNull())
    .addColumn('result', text)
    .addColumn('message', text, (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('expires_at', text)
    .execute();
  await db.schema.createIndex('image_task_image').on('image_task').column('image_id').execute();
}
