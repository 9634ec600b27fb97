/**
 * The shape most service resource types share: one object in one service,
 * made once (crash-safe: an earlier attempt's object is adopted instead of
 * making a second), shown as its service's API shows it, attributes read
 * from that view, deleted with "already gone" as done. A type describes its
 * object's calls; this turns them into a ResourcePlugin.
 */
import type { Json, JsonObject } from '../../json.js';
import type { AttributeSchema, PropertyChange, PropertySchema, ResourceContext, ResourcePlugin } from '../types.js';
import { deleteUnlessGone, earlierAttempt, objectName, unlessGone } from './support.js';

export interface ServiceObject<Info> {
  get(ctx: ResourceContext, id: string): Promise<Info>;
  /**
   * The object carrying this exact name, for adopting a generated name after
   * a crash (a nameless object may carry it in another field it keeps).
   */
  findByName?(ctx: ResourceContext, name: string): Promise<Info | null>;
  /** Makes the object; `name` is the template's or the generated one. */
  create(ctx: ResourceContext, properties: JsonObject, name: string): Promise<Info>;
  /** Waits until the object is usable (after its id is recorded); throws Heat's failure when it will not be. */
  awaitReady?(ctx: ResourceContext, info: Info, properties: JsonObject): Promise<void>;
  /** Applies changed update-allowed properties in place. */
  update?(ctx: ResourceContext, id: string, change: PropertyChange): Promise<void>;
  /** Starts or does the deletion; a 404 is taken as done. */
  remove(ctx: ResourceContext, id: string): Promise<void>;
  /** Waits until a removed object is gone, where the service deletes in the background. */
  awaitGone?(ctx: ResourceContext, id: string): Promise<void>;
  idOf(info: Info): string;
  /** The object as its service's API shows it (`show`, and attributes by the same names). */
  view(info: Info): JsonObject;
  /** Attributes whose value is not the view's field of the same name. */
  attributes?: Record<string, (info: Info, ctx: ResourceContext) => Json | Promise<Json>>;
}

export interface ServiceResourceMeta {
  type: string;
  description: string;
  properties: Record<string, PropertySchema>;
  attributes: Record<string, AttributeSchema>;
  /** The property naming the object; null when the object has no name. */
  nameProperty: string | null;
}

export function serviceResource<Info>(meta: ServiceResourceMeta, object: ServiceObject<Info>): ResourcePlugin {
  const current = async (ctx: ResourceContext): Promise<Info | null> => {
    const id = ctx.resource.physicalId;
    return id === null ? null : unlessGone(object.get(ctx, id));
  };
  const { findByName } = object;
  return {
    type: meta.type,
    description: meta.description,
    properties: meta.properties,
    attributes: meta.attributes,
    async create(ctx, properties) {
      const given = meta.nameProperty === null ? undefined : properties[meta.nameProperty];
      const found = await earlierAttempt(ctx, given, {
        byId: (id) => object.get(ctx, id),
        ...(findByName && { byName: (name: string) => findByName(ctx, name) }),
      });
      const info = found ?? (await object.create(ctx, properties, objectName(ctx, given)));
      const id = object.idOf(info);
      if (ctx.resource.physicalId !== id) await ctx.setPhysicalId(id);
      await object.awaitReady?.(ctx, info, properties);
    },
    ...(object.update && {
      update: (ctx: ResourceContext, change: PropertyChange) => {
        const id = ctx.resource.physicalId;
        return id === null ? Promise.resolve() : object.update!(ctx, id, change);
      },
    }),
    async delete(ctx) {
      let id = ctx.resource.physicalId;
      // A create that crashed before recording the id left an object under the generated name.
      if (id === null && findByName) {
        const orphan = await findByName(ctx, ctx.resource.physicalName);
        id = orphan === null ? null : object.idOf(orphan);
      }
      if (id === null) return;
      await deleteUnlessGone(object.remove(ctx, id));
      await object.awaitGone?.(ctx, id);
    },
    async resolveAttribute(ctx, name) {
      const info = await current(ctx);
      if (info === null) return null;
      const special = object.attributes?.[name];
      if (special) return special(info, ctx);
      return object.view(info)[name] ?? null;
    },
    async show(ctx) {
      const info = await current(ctx);
      return info === null ? null : object.view(info);
    },
    async check(ctx) {
      const id = ctx.resource.physicalId;
      if (id !== null) await object.get(ctx, id);
    },
  };
}
