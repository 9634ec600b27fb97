/**
 * Keypairs: per user (an admin may act for another user with `user_id`,
 * 2.10), imported or generated, types `ssh` and `x509` (2.2). The key_pairs
 * quota counts per user, as Nova's does.
 */
import type { CallerContext } from '../../core/context.js';
import { QuotaExceeded } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { nowIso } from '../../core/time.js';
import { keypairErrors, novaErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Keypair } from '../store/index.js';
import { authorize, callerProject } from './access.js';
import type { ComputeDeps } from './deps.js';
import { generateSshKey, sshFingerprint, x509Fingerprint } from './ssh-keys.js';
import { generateX509 } from './x509.js';

export interface NewKeypair {
  name: string;
  type: 'ssh' | 'x509';
  publicKey?: string;
  /** Another user's id (admins, 2.10). */
  userId?: string;
}

const SAFE_NAME = /^[a-zA-Z0-9 _-]+$/;

/** The quota engine counts per project; Nova counts key_pairs per user. */
const userQuotaKey = (userId: string) => `user:${userId}`;

/** Nova's KeypairLimitExceeded: 403 with its own message rather than the generic quota one. */
async function withKeypairQuota<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QuotaExceeded) throw keypairErrors.limitExceeded();
    throw error;
  }
}

export class KeypairOps {
  constructor(private readonly deps: ComputeDeps) {}

  async create(auth: CallerContext, input: NewKeypair): Promise<Keypair & { privateKey?: string }> {
    // Nova's keypair API checks the characters itself (KeypairAPI._validate_new_key_pair), before policy.
    if (!SAFE_NAME.test(input.name)) throw keypairErrors.nameUnsafe();
    const userId = input.userId ?? auth.userId;
    authorize(this.deps, auth, 'os_compute_api:os-keypairs:create', { user_id: userId });
    let publicKey = input.publicKey;
    let privateKey: string | undefined;
    let fingerprint: string;
    if (publicKey === undefined && input.type === 'x509') {
      const generated = generateX509(input.name);
      publicKey = generated.certificate;
      privateKey = generated.privateKey;
      fingerprint = x509Fingerprint(publicKey);
    } else if (publicKey === undefined) {
      const generated = generateSshKey(`Generated-by-Nova`);
      publicKey = generated.publicKey;
      privateKey = generated.privateKey;
      fingerprint = generated.fingerprint;
    } else {
      fingerprint = input.type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
    }
    const keypair: Keypair = {
      user_id: userId,
      name: input.name,
      id: 0,
      project_id: auth.project?.id ?? null,
      type: input.type,
      fingerprint,
      public_key: publicKey,
      created_at: nowIso(),
    };
    try {
      await withKeypairQuota(() =>
        this.deps.db.transaction().execute(async (trx) => {
          keypair.id = await store.nextId(trx, 'keypair');
          // Counted per user, limited by the caller's project (Nova's check_deltas with user_id).
          await this.deps.quota.reserve(trx, userQuotaKey(userId), { key_pairs: 1 }, { limitsOf: callerProject(auth) });
          await store.insertKeypair(trx, keypair);
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw keypairErrors.exists(input.name);
      throw error;
    }
    return privateKey === undefined ? keypair : { ...keypair, privateKey };
  }

  async get(auth: CallerContext, name: string, userId = auth.userId): Promise<Keypair> {
    authorize(this.deps, auth, 'os_compute_api:os-keypairs:show', { user_id: userId });
    const keypair = await store.getKeypair(this.deps.db, userId, name);
    if (!keypair) throw novaErrors.keypairNotFound(name, userId);
    return keypair;
  }

  async list(auth: CallerContext, userId = auth.userId): Promise<Keypair[]> {
    authorize(this.deps, auth, 'os_compute_api:os-keypairs:index', { user_id: userId });
    return store.listKeypairs(this.deps.db, userId);
  }

  async delete(auth: CallerContext, name: string, userId = auth.userId): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-keypairs:delete', { user_id: userId });
    await this.deps.db.transaction().execute(async (trx) => {
      const removed = await store.deleteKeypair(trx, userId, name);
      if (!removed) throw novaErrors.keypairNotFound(name, userId);
      await this.deps.quota.release(trx, userQuotaKey(userId), { key_pairs: 1 });
    });
  }
}
