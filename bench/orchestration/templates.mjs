// The HOT templates the bench creates. Plain objects (the API takes JSON templates
// as well as YAML text), built by functions so the sizes stay parameters.

const VERSION = '2016-10-14';

/** N OS::Heat::RandomString as the members of one OS::Heat::ResourceGroup (a nested stack of N). */
export function randomStringGroup(count) {
  return {
    heat_template_version: VERSION,
    resources: {
      group: {
        type: 'OS::Heat::ResourceGroup',
        properties: { count, resource_def: { type: 'OS::Heat::RandomString', properties: { length: 16 } } },
      },
    },
  };
}

/**
 * LAYERS x WIDTH OS::Heat::TestResource (20 by default). Each resource past the first
 * layer takes its value from the one above it (get_attr) and also waits for that one's
 * neighbour (depends_on): a graph the engine must walk in dependency order, with WIDTH
 * resources ready at once on each layer.
 */
export function testResourceGraph(layers = 4, width = 5) {
  const name = (layer, i) => `r${layer}_${i}`;
  const resources = {};
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      resources[name(layer, i)] =
        layer === 0
          ? { type: 'OS::Heat::TestResource', properties: { value: `seed-${i}` } }
          : {
              type: 'OS::Heat::TestResource',
              depends_on: [name(layer - 1, (i + 1) % width)],
              properties: { value: { get_attr: [name(layer - 1, i), 'output'] } },
            };
    }
  }
  return { heat_template_version: VERSION, resources };
}

/** The small stack of which the bench keeps 100 at once to weigh the engine. */
export function singleRandomString() {
  return { heat_template_version: VERSION, resources: { secret: { type: 'OS::Heat::RandomString', properties: { length: 16 } } } };
}
