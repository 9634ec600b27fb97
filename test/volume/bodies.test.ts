/** Request bodies: checked by route schemas after authentication, worded as Cinder's validator words them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume request bodies', () => {
  let cloud: TestServer;
  let demo: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
  });
  after(() => cloud.close());

  const message = (response: { body: { badRequest?: { message: string } } }) => response.body.badRequest?.message;

  test('a caller without a token gets 401 before any word about its body', async () => {
    const response = await cloud.request('POST', `/volume/v3/${demo.projectId}/volumes`, { body: { volume: { size: 'x' } } });
    assert.equal(response.status, 401);
  });

  test('a missing entity, a wrong type and a value out of the schema read as Cinder words them', async () => {
    const missing = await demo.call('POST', '/volumes', { size: 1 });
    assert.equal(missing.status, 400);
    assert.equal(message(missing), "'volume' is a required property");
    const wrongType = await demo.call('POST', '/volumes', { volume: { size: 1, name: 5 } });
    assert.equal(message(wrongType), "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string', 'null'");
    const badSize = await demo.call('POST', '/volumes', { volume: { size: 'big' } });
    assert.equal(message(badSize), "Invalid input for field/attribute size. Value: big. 'big' does not match '^\\\\s*-?[0-9]+\\\\s*$'");
    const badKey = await demo.call('POST', '/volumes', { volume: { size: 1, metadata: { 'a/b': 'c' } } });
    assert.equal(
      message(badKey),
      "Invalid input for field/attribute metadata. Value: {'a/b': 'c'}. 'a/b' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
    );
  });

  test('a restore without a body restores to a new volume, as before the schemas', async () => {
    const response = await demo.call('POST', '/backups/5b5b3b5c-1b1d-4d7e-9d3c-0d7a4f0e9a11/restore');
    assert.equal(response.status, 404, response.text);
  });

  test('per microversion: unknown volume keys are refused from 3.53, an empty update too', async () => {
    const old = await demo.call('POST', '/volumes', { volume: { size: 1, colour: 'red' } }, '3.52');
    assert.equal(old.status, 202, old.text);
    const strict = await demo.call('POST', '/volumes', { volume: { size: 1, colour: 'red' } }, '3.53');
    assert.equal(strict.status, 400);
    assert.match(message(strict) ?? '', /Additional properties are not allowed \('colour' was unexpected\)/);
    const id = old.body.volume.id as string;
    assert.equal((await demo.call('PUT', `/volumes/${id}`, { volume: {} }, '3.52')).status, 200);
    const empty = await demo.call('PUT', `/volumes/${id}`, { volume: {} }, '3.53');
    assert.equal(empty.status, 400);
    assert.match(message(empty) ?? '', /is not valid under any of the given schemas/);
  });

  test('actions: the arguments are checked against the named action; a digit string is a size', async () => {
    const created = await demo.call('POST', '/volumes', { volume: { size: '1' } });
    assert.equal(created.status, 202, created.text);
    const id = created.body.volume.id as string;
    await demo.waitFor(id, 'available');
    const noSize = await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': {} });
    assert.equal(message(noSize), "Invalid input for field/attribute os-extend. Value: {}. 'new_size' is a required property");
    const nullSize = await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: null } });
    assert.equal(message(nullSize), "Invalid input for field/attribute new_size. Value: None. None is not of type 'integer', 'string'");
    const badMode = await demo.call('POST', `/volumes/${id}/action`, { 'os-attach': { mountpoint: '/dev/vdb', mode: 'rx' } });
    assert.equal(message(badMode), "Invalid input for field/attribute mode. Value: rx. 'rx' is not one of ['rw', 'ro']");
    const twoActions = await demo.call('POST', `/volumes/${id}/action`, { 'os-reserve': null, 'os-unreserve': null });
    assert.equal(message(twoActions), 'Malformed request body: an action body holds exactly one action.');
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-extend': { new_size: '2' } })).status, 202);
  });
});
