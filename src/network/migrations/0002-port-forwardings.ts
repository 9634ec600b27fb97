/**
 * Floating IP port forwardings. Frozen: never edit, add a new migration.
 *
 * Own table (not `neutron_resource`) because its two unique constraints are
 * Neutron's uniqueness rules, enforced by the database under concurrency:
 * one forwarding per (floating IP, external port, protocol), and one per
 * internal socket (port, address, internal port, protocol).
 */
import type { MigrationDb } from '../../core/db/migrate.js';

export async function up(db: MigrationDb): Promise<void> {
  const id = 'varchar(64)' as const;
  await db.schema
    .createTable('neutron_port_forwarding')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('floatingip_id', id, (c) => c.notNull().references('neutron_resource.id').onDelete('cascade'))
    .addColumn('project_id', id, (c) => c.notNull())
    .addColumn('router_id', id, (c) => c.notNull())
    .addColumn('protocol', 'varchar(16)', (c) => c.notNull())
    .addColumn('external_port', 'integer', (c) => c.notNull())
    .addColumn('internal_port_id', id, (c) => c.notNull().references('neutron_resource.id').onDelete('cascade'))
    .addColumn('internal_ip_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('internal_port', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addUniqueConstraint('neutron_pf_external', ['floatingip_id', 'external_port', 'protocol'])
    .addUniqueConstraint('neutron_pf_internal', ['internal_port_id', 'internal_ip_address', 'internal_port', 'protocol'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('neutron_port_forwarding').execute();
}
