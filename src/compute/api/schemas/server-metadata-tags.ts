/** Server metadata and tag bodies (nova/api/openstack/compute/schemas/server_metadata.py, server_tags.py). */
import { MAX_TAGS } from '../../service/servers.js';
import type { BodySchema } from '../schema.js';
import { envelope, metadata } from './parameter-types.js';

/** POST and PUT /servers/{id}/metadata. */
export const setMetadata = envelope('metadata', metadata);

/** PUT /servers/{id}/metadata/{key}: one key, the URI's (checked by the route). */
export const setMetadataItem = envelope('meta', metadata);

/** Nova's tag: 1-60 characters, no ',' or '/'. */
export const TAG_PATTERN = '^[^,/]*$';
export const tag: BodySchema = { type: 'string', minLength: 1, maxLength: 60, pattern: TAG_PATTERN };

/** PUT /servers/{id}/tags: the whole list, at most MAX_TAGS. */
export const replaceTags = envelope('tags', { type: 'array', items: tag, maxItems: MAX_TAGS });
