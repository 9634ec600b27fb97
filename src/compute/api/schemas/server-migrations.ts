/** The server migration action body (nova/api/openstack/compute/schemas/server_migrations.py). */
import { strictObject } from './parameter-types.js';

/** POST /servers/{id}/migrations/{id}/action: `{"force_complete": null}`. */
export const forceComplete = strictObject({ force_complete: { type: 'null' } }, ['force_complete']);
