/**
 * Bulk create is all or nothing (ports natively in one transaction, other
 * collections by undo), and extra DHCP options are checked and merged as
 * Neutron does. On SQLite and, with NIMBUS_TEST_PG_URL, on PostgreSQL.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { onBothDatabases, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

onBothDatabases((name, start, skip) => {
  describe(`network: atomic bulk create, extra DHCP options (${name})`, { skip }, () => {
    const cloud = useCloud(start);
    const call = cloud.call;
    let projectId: string;
    before(async () => {
      projectId = (await cloud.server.request('GET', '/identity/v3/auth/tokens', { token: cloud.admin, headers: { 'x-subject-token': cloud.demo } })).body.token
        .project.id;
    });
    const used = async (resource: string) => (await call('GET', `/v2.0/quotas/${projectId}/details`)).body.quota[resource].used as number;
    const named = async (collection: string, prefix: string) =>
      ((await call('GET', `/v2.0/${collection}`)).body[collection] as Body[]).filter((x) => String(x.name).startsWith(prefix));

    test('bulk ports: created together; one bad port leaves no port, no address and no quota behind', async () => {
      const net = (await call('POST', '/v2.0/networks', { network: { name: 'bulk-net' } })).body.network;
      const subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.88.0.0/24', enable_dhcp: false } })).body
        .subnet;
      const ok = await call('POST', '/v2.0/ports', {
        ports: [
          { network_id: net.id, name: 'bulk-a' },
          { network_id: net.id, name: 'bulk-b' },
        ],
      });
      assert.equal(ok.status, 201, ok.text);
      assert.deepEqual(
        ok.body.ports.map((p: Body) => p.name),
        ['bulk-a', 'bulk-b'],
      );

      const portsBefore = await used('port');
      const fixed = (ip: string) => [{ subnet_id: subnet.id, ip_address: ip }];
      const taken = ok.body.ports[0].fixed_ips[0].ip_address as string;
      const failed = await call('POST', '/v2.0/ports', {
        ports: [
          { network_id: net.id, name: 'doomed-1', fixed_ips: fixed('10.88.0.50') },
          { network_id: net.id, name: 'doomed-2', fixed_ips: fixed('10.88.0.51') },
          { network_id: net.id, name: 'doomed-3', fixed_ips: fixed(taken) },
        ],
      });
      assert.equal(failed.status, 409, failed.text);
      assert.equal(failed.body.NeutronError.type, 'IpAddressInUse');
      assert.deepEqual(await named('ports', 'doomed-'), []);
      assert.equal(await used('port'), portsBefore, 'the quota reservations went back');
      const reuse = await call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: fixed('10.88.0.50') } });
      assert.equal(reuse.status, 201, 'the address of the rolled-back port is free');

      // A request that fails its checks creates nothing either (the second item is invalid).
      const invalid = await call('POST', '/v2.0/ports', {
        ports: [
          { network_id: net.id, name: 'doomed-4' },
          { network_id: net.id, name: 'doomed-5', mac_address: 'nope' },
        ],
      });
      assert.equal(invalid.status, 400);
      assert.deepEqual(await named('ports', 'doomed-'), []);

      // Over quota in the middle of the batch: none made.
      const current = await used('port');
      assert.equal((await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { port: current + 2 } }, cloud.admin)).status, 200);
      const over = await call('POST', '/v2.0/ports', { ports: [1, 2, 3].map((i) => ({ network_id: net.id, name: `doomed-q${i}` })) });
      assert.equal(over.status, 409);
      assert.equal(over.body.NeutronError.type, 'OverQuota');
      assert.deepEqual(await named('ports', 'doomed-'), []);
      assert.equal(await used('port'), current);
      assert.equal((await call('PUT', `/v2.0/quotas/${projectId}`, { quota: { port: 500 } }, cloud.admin)).status, 200);
    });

    test('bulk networks (emulated): the ones made are deleted when a later one fails', async () => {
      const before = await used('network');
      const failed = await call('POST', '/v2.0/networks', { networks: [{ name: 'bulkn-1' }, { name: 'bulkn-2' }, { name: 'bulkn-3', mtu: 'big' }] });
      assert.equal(failed.status, 400, failed.text);
      assert.deepEqual(await named('networks', 'bulkn-'), []);
      assert.equal(await used('network'), before);
      const ok = await call('POST', '/v2.0/networks', { networks: [{ name: 'bulkn-1' }, { name: 'bulkn-2' }] });
      assert.equal(ok.status, 201);
      assert.equal((await named('networks', 'bulkn-')).length, 2);
    });

    test('extra_dhcp_opts: defaults, validation, merge on update', async () => {
      const net = (await call('POST', '/v2.0/networks', { network: { name: 'dhcp-opts' } })).body.network;
      await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.89.0.0/24' } });
      const created = await call('POST', '/v2.0/ports', {
        port: {
          network_id: net.id,
          extra_dhcp_opts: [
            { opt_name: 'bootfile-name', opt_value: 'pxelinux.0' },
            { opt_name: 'tftp-server', opt_value: '10.89.0.2', ip_version: 4 },
            { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 },
            { opt_name: 'router', opt_value: '' },
            { opt_name: 'domain-name', opt_value: null },
          ],
        },
      });
      assert.equal(created.status, 201, created.text);
      const port = created.body.port;
      assert.deepEqual(port.extra_dhcp_opts, [
        { opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 },
        { opt_name: 'tftp-server', opt_value: '10.89.0.2', ip_version: 4 },
        { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 },
        { opt_name: 'router', opt_value: '', ip_version: 4 },
      ]);

      const bad = [
        'not-a-list',
        ['not-a-dict'],
        [{ opt_name: 'bootfile-name' }],
        [{ opt_value: 'x' }],
        [{ opt_name: 'bootfile-name', opt_value: 'x', ip_version: 5 }],
        [{ opt_name: 'bootfile-name', opt_value: '' }],
        [{ opt_name: '', opt_value: 'x' }],
        [{ opt_name: 'bootfile-name', opt_value: 'a\nb' }],
        [{ opt_name: 'bootfile-name', opt_value: 'x'.repeat(256) }],
        [{ opt_name: 'bootfile-name', opt_value: 'x', colour: 'blue' }],
      ];
      for (const opts of bad) {
        const response = await call('POST', '/v2.0/ports', { port: { network_id: net.id, extra_dhcp_opts: opts } });
        assert.equal(response.status, 400, JSON.stringify(opts));
        assert.match(response.body.NeutronError.message, /extra_dhcp_opts/);
      }

      const updated = await call('PUT', `/v2.0/ports/${port.id}`, {
        port: {
          extra_dhcp_opts: [
            { opt_name: 'bootfile-name', opt_value: 'ipxe.efi' },
            { opt_name: 'tftp-server', opt_value: null },
            { opt_name: 'dns-server', opt_value: null, ip_version: 4 },
            { opt_name: 'server-ip-address', opt_value: '10.89.0.3' },
          ],
        },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body.port.extra_dhcp_opts, [
        { opt_name: 'bootfile-name', opt_value: 'ipxe.efi', ip_version: 4 },
        { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 },
        { opt_name: 'router', opt_value: '', ip_version: 4 },
        { opt_name: 'server-ip-address', opt_value: '10.89.0.3', ip_version: 4 },
      ]);
      assert.equal(
        (await call('PUT', `/v2.0/ports/${port.id}`, { port: { extra_dhcp_opts: [{ opt_name: 'x', opt_value: 'y', ip_version: 'six' }] } })).status,
        400,
      );
      assert.equal((await call('PUT', `/v2.0/ports/${port.id}`, { port: { extra_dhcp_opts: null } })).status, 200, 'null changes nothing');
      assert.equal((await call('GET', `/v2.0/ports/${port.id}`)).body.port.extra_dhcp_opts.length, 4);
    });
  });
});
