/** OS::Nova::KeyPair: a key pair imported from `public_key` or generated (its private key kept when asked). */
import type { ComputeKeypair } from '../../../../compute/operations.js';
import { allowed, attribute, boolean, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { flag, text } from '../support.js';
import { nova } from './lookups.js';

export const keyPairResource = serviceResource<ComputeKeypair>(
  {
    type: 'OS::Nova::KeyPair',
    description: 'A key pair for servers: imported from a public key, or generated.',
    nameProperty: 'name',
    properties: {
      name: string('The name of the key pair.', { required: true, constraints: [{ length: { min: 1, max: 255 } }] }),
      save_private_key: boolean('True if the system should remember a generated private key; False otherwise.', { default: false }),
      public_key: string(
        'The optional public key. This allows users to supply the public key from a pre-existing key pair. If not supplied, a new key pair will be generated.',
      ),
      type: string('Keypair type. Supported since Nova api version 2.2.', { constraints: [allowed('ssh', 'x509')] }),
    },
    attributes: {
      public_key: attribute('The public key.', 'string'),
      private_key: attribute('The private key if it has been saved.', 'string'),
    },
  },
  {
    get: (ctx, name) => nova(ctx.services).getKeypair(ctx.caller, name),
    async create(ctx, p, name) {
      const publicKey = text(p, 'public_key');
      const created = await nova(ctx.services).createKeypair(ctx.caller, {
        name,
        ...(p.type === 'x509' && { type: 'x509' as const }),
        ...(publicKey !== undefined && { publicKey }),
      });
      // The service shows a generated private key once only.
      if (created.privateKey !== undefined && flag(p, 'save_private_key') === true) await ctx.setData('private_key', created.privateKey);
      return created;
    },
    remove: (ctx, name) => nova(ctx.services).deleteKeypair(ctx.caller, name),
    idOf: (k) => k.name,
    view: (k) => ({ name: k.name, type: k.type, public_key: k.publicKey, fingerprint: k.fingerprint, user_id: k.userId }),
    attributes: {
      private_key: (_k, ctx) => ctx.resource.data.private_key ?? '',
    },
  },
);
