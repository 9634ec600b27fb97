/** Cinder's pipeline runs oslo's sizelimit: a body over 114688 bytes is 413 before it is read; one under it is judged on its content. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume: request body size', () => {
  let cloud: TestServer;
  let demo: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
  });
  after(() => cloud.close());

  /** Metadata of `keys` entries with 255-character values (Cinder's longest). */
  const metadata = (keys: number) => Object.fromEntries(Array.from({ length: keys }, (_, i) => [`key-${i}`, 'v'.repeat(255)]));

  test('a 200 KiB volume create is 413 and makes nothing', async () => {
    const response = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'too-big', metadata: metadata(780) } });
    // Depends on the HTTP core answering Fastify's body-too-large as 413.
    assert.equal(response.status, 413, response.text);
    assert.deepEqual((await demo.call('GET', '/volumes')).body.volumes, []);
  });

  test('a body just under the limit is accepted', async () => {
    const response = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'just-fits', metadata: metadata(400) } });
    assert.equal(response.status, 202, response.text);
    const shown = await demo.call('GET', `/volumes/${response.body.volume.id}`);
    assert.equal(Object.keys(shown.body.volume.metadata).length, 400);
  });
});
