/**
 * Ceilometer (the polling agent and its Gnocchi publisher) as a Nimbus
 * service module. Since Queens Ceilometer has no API of its own: this module
 * mounts no routes and publishes no catalog entry; it runs the polling loop
 * (agent.ts) in every process, writing to the metric service's door.
 */
import { ServiceUnavailable } from '../core/errors.js';
import type { ServiceDeps, ServiceModule } from '../core/service-module.js';
import type { MeteringConfig } from './config.js';
import { PollingAgent } from './agent.js';
import { LatestSamples } from './latest-samples.js';
import { meteringMigrations } from './migrations/index.js';
import { meteringOperations } from './operations.js';
import { GnocchiPublisher } from './publisher/gnocchi.js';
import { metricDoor } from './publisher/metric-door.js';
import { MeteringStore } from './store/index.js';

type MeteringSections = { metering: MeteringConfig };

export const meteringModule: ServiceModule<MeteringSections> = {
  name: 'metering',
  prefix: '/metering',
  migrations: meteringMigrations,
  policyDefaults: {},
  catalog: [],
  async init(deps: ServiceDeps<MeteringSections>) {
    const config = deps.config.metering;
    const log = deps.log.child({ service: 'metering' });
    const publisher = new GnocchiPublisher(() => metricDoor(deps.services) ?? unavailable(), config.publisher_gnocchi.archive_policy, log);
    // Two intervals: a sample missed by one cycle (a claim won by another process, a slow poll) does not blink out.
    const latest = new LatestSamples(() => 2 * config.polling.interval * 1000);
    const agent = new PollingAgent({ config, store: new MeteringStore(deps.db), services: deps.services, publisher, latest, log });
    return {
      operations: meteringOperations(latest),
      async routes() {},
      async ready() {
        if (config.enabled) agent.start();
      },
      /** The agent, so tests can run one cycle now instead of waiting for the timer. */
      internals: agent,
      stop: () => agent.stop(),
      async stateRestored() {
        publisher.forgetWritten();
        latest.clear();
      },
    };
  },
};

function unavailable(): never {
  throw new ServiceUnavailable('The metric service is not available to the metering service.');
}
