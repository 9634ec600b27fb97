/** os-keypairs create bodies per microversion (nova/api/openstack/compute/schemas/keypairs.py). */
import type { VersionedEntry } from '../../../core/microversions.js';
import type { BodySchema } from '../schema.js';
import { envelope, name, strictObject } from './parameter-types.js';

/** Nova keeps a public key in a TEXT column (nova/db/api/models.py): 65535 bytes at most. */
const publicKey: BodySchema = { type: 'string', minLength: 1, maxLength: 65535 };
const type: BodySchema = { type: 'string', enum: ['ssh', 'x509'] };

export const createKeypair: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.1', value: envelope('keypair', strictObject({ name, public_key: publicKey }, ['name'])) },
  { from: '2.2', to: '2.9', value: envelope('keypair', strictObject({ name, type, public_key: publicKey }, ['name'])) },
  { from: '2.10', value: envelope('keypair', strictObject({ name, type, public_key: publicKey, user_id: { type: 'string', minLength: 1 } }, ['name'])) },
];
