/**
 * OS::Glance::Image as today's Heat has it: hidden (since 22.0.0) and
 * doing nothing. It made an image from a URL location, which needs Glance's
 * v1 API; Heat now keeps the name only so old stacks still load and delete,
 * and answers it like OS::Heat::None (any properties, null attributes).
 * Being hidden, it is left out of the resource type list.
 */
import { noneResource } from '../../heat/none.js';
import type { ResourcePlugin } from '../../types.js';

export const glanceImageResource: ResourcePlugin = {
  ...noneResource,
  type: 'OS::Glance::Image',
  description: 'A resource managing images in Glance.',
  supportStatus: {
    status: 'HIDDEN',
    version: '22.0.0',
    message: 'Creating a Glance Image based on an existing URL location requires the Glance v1 API, which is deprecated.',
  },
};
