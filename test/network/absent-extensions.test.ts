/** What Nimbus's Neutron does not offer answers as a Neutron without the extension: multi-provider networks. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, useCloud } from './support.js';

describe('network: absent extensions', () => {
  const cloud = useCloud();
  const call = cloud.call;

  test('multi-provider is not listed, and a network cannot be made of several segments', async () => {
    const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    assert.ok(!aliases.includes('multi-provider'));
    const segments = [{ 'provider:network_type': 'vxlan' }, { 'provider:network_type': 'vxlan' }];
    const refused = await call('POST', '/v2.0/networks', { network: { name: 'multi', segments } }, cloud.admin);
    expectError(refused, 400, 'HTTPBadRequest');
  });
});
