/**
 * Metering on the real drivers: two QEMU guests (TCG) from the test image,
 * one whose user_data starts a busy loop and one left idle, the polling agent
 * every second. The busy guest's `cpu` meter (the QEMU process's CPU time,
 * ns, cumulative) must rise in `/metric` at the rate of a busy vCPU: `rate:mean`
 * above 15 % of one vCPU (1.5e8 ns/s) and three times the idle guest's. The
 * floor is low because the host's two cores are shared: at a load average of
 * 24 a spinning TCG vCPU got 29 % of a core and an idle guest 6 %. Both metrics use Ceilometer's `ceilometer-high-rate` policy (1-s
 * points; the default `ceilometer-low-rate` has 5-minute ones).
 *
 * Needs root, /dev/net/tun and the real-driver packages (scripts/install-host);
 * skipped with the reason elsewhere. Everything it makes is removed, also on failure.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { guestImage } from '../support/guest-image.js';
import { realHostMissing, startRealCloud, tearDownRealCloud, waitFor, type RealCloud } from './support.js';

const missing = realHostMissing();
const ONE_VCPU_NS_PER_S = 1e9;
/** Rate points (1 s apart) averaged per guest. */
const WINDOW_POINTS = 8;

const BUSY_USER_DATA = '#!/bin/sh\necho metering-busy-loop\nwhile :; do :; done > /dev/null 2>&1 &\n';

let cloud: RealCloud | null = null;

before(async () => {
  if (missing) return;
  const image = guestImage();
  cloud = await startRealCloud(
    `compute:\n  qemu: {guest_image: ${image}, accel: tcg}\n` +
      `metering:\n  enabled: true\n  polling: {interval: 1, meters: ['*']}\n  publisher_gnocchi: {archive_policy: ceilometer-high-rate}\n`,
  );
});

after(async () => {
  if (cloud) await tearDownRealCloud(cloud);
});

test(
  "real drivers: a busy guest's cpu meter rises at a busy vCPU's rate, an idle one's stays lower",
  { skip: missing ?? false, timeout: 600_000 },
  async () => {
    const c = cloud as RealCloud;
    const token = (await c.admin<{ id: string }>(['token', 'issue'])).id;
    /** `rate:mean` points of the server's cpu metric from `since` on (empty while the metric does not exist yet). */
    const cpuRates = async (serverId: string, since: Date): Promise<number[]> => {
      const query = `aggregation=rate:mean&granularity=1&refresh=true&start=${encodeURIComponent(since.toISOString())}`;
      const response = await fetch(`http://127.0.0.1:${c.port}/metric/v1/resource/instance/${serverId}/metric/cpu/measures?${query}`, {
        headers: { 'x-auth-token': token },
      });
      if (response.status === 404) return [];
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return (JSON.parse(text) as Array<[string, number, number]>).map((point) => point[2]);
    };

    await c.demo(['network', 'create', 'metering-net']);
    await c.demo(['subnet', 'create', '--network', 'metering-net', '--subnet-range', '10.93.0.0/24', 'metering-subnet']);
    const userData = join(c.dataDir, 'busy.sh');
    writeFileSync(userData, BUSY_USER_DATA);
    const boot = (name: string, extra: string[]) =>
      c.demo<{ id: string }>(['server', 'create', '--image', 'nimbus-guest', '--flavor', 'm1.nano', '--network', 'metering-net', ...extra, name]);
    const busy = await boot('metering-busy', ['--user-data', userData]);
    const idle = await boot('metering-idle', []);

    // Measure once both have booted (a boot costs seconds of CPU) and the busy one has started its loop from user_data.
    for (const [server, marker] of [
      [busy, 'NIMBUS-GUEST-USERDATA exit=0'],
      [idle, 'NIMBUS-GUEST-READY'],
    ] as const) {
      await waitFor(`${marker} on ${server.id}'s console`, 300_000, async () =>
        (await c.demoRun(['console', 'log', 'show', server.id])).includes(marker) ? true : null,
      );
    }
    const since = new Date(Date.now() + 2000);
    const busyRates = await waitFor(`${WINDOW_POINTS} cpu rate points of the busy guest`, 120_000, async () => {
      const rates = await cpuRates(busy.id, since);
      return rates.length >= WINDOW_POINTS ? rates : null;
    });
    const idleRates = await cpuRates(idle.id, since);
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const busyMean = mean(busyRates);
    assert.ok(busyMean > 0.15 * ONE_VCPU_NS_PER_S, `busy guest's cpu rate:mean ${busyMean} ns/s over ${JSON.stringify(busyRates)}`);
    assert.ok(idleRates.length > 0, 'the idle guest has cpu rate points too');
    assert.ok(3 * mean(idleRates) < busyMean, `idle ${mean(idleRates)} ns/s is not a third of busy ${busyMean} ns/s`);
  },
);
