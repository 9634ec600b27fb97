/** Heat's default limits (heat.conf `max_template_size`, `max_resources_per_stack`). */
export const MAX_TEMPLATE_BYTES = 524288;
export const MAX_RESOURCES_PER_STACK = 1000;
