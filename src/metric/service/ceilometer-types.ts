/**
 * The resource types `ceilometer-upgrade` leaves in Gnocchi: its initial
 * types with the attributes its later schema updates added (volume_type,
 * flavor_name, launched_at..., image_id/instance_id on volumes) and the types
 * those updates created. Ceilometer's publisher (src/metering/) writes these.
 */
import type { JsonObject } from '../../core/json.js';

const text = (required: boolean, maxLength = 255): JsonObject => ({ type: 'string', required, min_length: 0, max_length: maxLength });
const uuid = (required: boolean): JsonObject => ({ type: 'uuid', required });
const datetime: JsonObject = { type: 'datetime', required: false };

export const CEILOMETER_RESOURCE_TYPES: Record<string, Record<string, JsonObject>> = {
  image: { name: text(true), container_format: text(true), disk_format: text(true) },
  instance: {
    flavor_id: text(true),
    image_ref: text(false),
    host: text(true),
    display_name: text(true),
    server_group: text(false),
    flavor_name: text(true),
    launched_at: datetime,
    created_at: datetime,
    deleted_at: datetime,
  },
  instance_disk: { name: text(true), instance_id: uuid(true) },
  instance_network_interface: { name: text(true), instance_id: uuid(true) },
  volume: { display_name: text(false), volume_type: text(false), image_id: uuid(false), instance_id: uuid(false) },
  swift_account: {},
  ceph_account: {},
  network: {},
  identity: {},
  ipmi: {},
  stack: {},
  host: { host_name: text(true) },
  host_network_interface: { host_name: text(true), device_name: text(false) },
  host_disk: { host_name: text(true), device_name: text(false) },
  nova_compute: { host_name: text(true) },
  manila_share: { name: text(false), host: text(true), protocol: text(false), availability_zone: text(false), status: text(true) },
  switch: { controller: text(true) },
  switch_port: {
    switch: text(true, 64),
    port_number_on_switch: { type: 'number', required: false, min: 0, max: 4294967295 },
    neutron_port_id: text(false),
    controller: text(true),
  },
  port: { controller: text(true) },
  switch_table: { switch: text(true, 64), controller: text(true) },
  volume_provider: {},
  volume_provider_pool: { provider: text(true) },
  ipmi_sensor: { node: text(true) },
  loadbalancer: {},
};
