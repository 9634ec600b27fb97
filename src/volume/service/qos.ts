/** QoS specs (admin only): create, list, show, set and unset keys, delete, and their association with volume types. */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { QosSpecs, VolumeType } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { TypeOps } from './types.js';

const MANAGE = 'volume_extension:qos_specs_manage:all';
const CONSUMERS = ['front-end', 'back-end', 'both'];

export class QosOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly types: TypeOps,
  ) {}

  async create(ctx: VolumeContext, name: string, specs: Record<string, string>): Promise<QosSpecs> {
    this.deps.authz.authorize(ctx.auth, MANAGE, { project_id: null });
    const { consumer = 'back-end', ...rest } = specs;
    if (!CONSUMERS.includes(consumer)) throw errors.invalidInput(`Invalid QoS consumer ${consumer}: expected front-end, back-end or both.`);
    if (await store.getQosByName(this.deps.db, name)) throw errors.qosExists(name);
    const id = uuid();
    await store.insertQos(this.deps.db, { id, name, consumer, specs: JSON.stringify(rest), created_at: nowIso() });
    return this.get(ctx, id);
  }

  async list(ctx: VolumeContext): Promise<QosSpecs[]> {
    this.deps.authz.authorize(ctx.auth, MANAGE, { project_id: null });
    return store.listQos(this.deps.db);
  }

  async get(ctx: VolumeContext, id: string): Promise<QosSpecs> {
    this.deps.authz.authorize(ctx.auth, MANAGE, { project_id: null });
    const qos = await store.getQos(this.deps.db, id);
    if (!qos) throw notFound.qos(id);
    return qos;
  }

  async set(ctx: VolumeContext, id: string, specs: Record<string, string>): Promise<Record<string, string>> {
    const qos = await this.get(ctx, id);
    const { consumer, ...rest } = specs;
    if (consumer !== undefined && !CONSUMERS.includes(consumer)) throw errors.invalidInput(`Invalid QoS consumer ${consumer}.`);
    await store.updateQos(this.deps.db, id, { specs: JSON.stringify({ ...qos.specs, ...rest }), ...(consumer ? { consumer } : {}) });
    return specs;
  }

  async unset(ctx: VolumeContext, id: string, keys: string[]): Promise<void> {
    const qos = await this.get(ctx, id);
    const missing = keys.find((k) => !(k in qos.specs));
    if (missing) throw errors.qosKeyMissing(id, missing);
    const rest = Object.fromEntries(Object.entries(qos.specs).filter(([k]) => !keys.includes(k)));
    await store.updateQos(this.deps.db, id, { specs: JSON.stringify(rest) });
  }

  async delete(ctx: VolumeContext, id: string, force: boolean): Promise<void> {
    await this.get(ctx, id);
    if (!force && (await store.typesWithQos(this.deps.db, id)).length > 0) {
      throw errors.invalidInput(`QoS Specs ${id} is still associated with entities.`);
    }
    await store.deleteQos(this.deps.db, id);
  }

  async associations(ctx: VolumeContext, id: string): Promise<VolumeType[]> {
    await this.get(ctx, id);
    return store.typesWithQos(this.deps.db, id);
  }

  async associate(ctx: VolumeContext, id: string, typeId: string): Promise<void> {
    await this.get(ctx, id);
    const type = await this.types.get(ctx, typeId);
    if (type.qos_specs_id !== null && type.qos_specs_id !== id) {
      throw errors.invalidInput(`Type ${type.id} is already associated with another qos specs: ${type.qos_specs_id}`);
    }
    await store.updateType(this.deps.db, type.id, { qos_specs_id: id, updated_at: nowIso() });
  }

  async disassociate(ctx: VolumeContext, id: string, typeId: string | null): Promise<void> {
    await this.get(ctx, id);
    const targets = typeId === null ? await store.typesWithQos(this.deps.db, id) : [await this.types.get(ctx, typeId)];
    for (const type of targets) {
      if (type.qos_specs_id === id) await store.updateType(this.deps.db, type.id, { qos_specs_id: null, updated_at: nowIso() });
    }
  }
}
