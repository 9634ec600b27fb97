/**
 * Floating IP port forwardings, on SQLite and (NIMBUS_TEST_PG_URL) on
 * PostgreSQL, through demo's DevStack content: `private` reaches `public`
 * through `router1`.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError as error, onBothDatabases, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

onBothDatabases((name, start, skip) => {
  describe(`network: floating IP port forwardings (${name})`, { skip }, () => {
    const cloud = useCloud(start);
    const call = cloud.call;
    let publicId: string;
    let privateId: string;
    before(async () => {
      publicId = (await call('GET', '/v2.0/networks?name=public')).body.networks[0].id;
      privateId = (await call('GET', '/v2.0/networks?name=private')).body.networks[0].id;
    });

    const fip = async () => (await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: publicId } })).body.floatingip as Body;
    const port = async () => (await call('POST', '/v2.0/ports', { port: { network_id: privateId } })).body.port as Body;
    const forward = (fipId: string, body: Body) => call('POST', `/v2.0/floatingips/${fipId}/port_forwardings`, { port_forwarding: body });

    test('create, show, list with filters, update, delete; the floating IP shows them and holds the router', async () => {
      const f = await fip();
      const p = await port();
      const created = await forward(f.id, { protocol: 'tcp', internal_port_id: p.id, internal_port: 22, external_port: 2222, description: 'ssh' });
      assert.equal(created.status, 201, created.text);
      const pf = created.body.port_forwarding;
      assert.deepEqual(
        { ...pf, id: undefined },
        {
          id: undefined,
          protocol: 'tcp',
          internal_port_id: p.id,
          internal_ip_address: p.fixed_ips.find((x: Body) => !x.ip_address.includes(':')).ip_address,
          internal_port: 22,
          external_port: 2222,
          description: 'ssh',
        },
      );
      assert.equal((await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`)).body.port_forwarding.id, pf.id);
      const shownFip = (await call('GET', `/v2.0/floatingips/${f.id}`)).body.floatingip;
      assert.equal(shownFip.port_forwardings.length, 1);
      assert.equal(shownFip.port_forwardings[0].external_port, 2222);
      assert.ok(shownFip.router_id, 'the floating IP takes the router that reaches the internal subnet');

      const udp = await forward(f.id, { protocol: 'udp', internal_port_id: p.id, internal_port: 53, external_port: 2222 });
      assert.equal(udp.status, 201, 'the same external port with another protocol is another forwarding');
      const tcpOnly = (await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings?protocol=tcp`)).body.port_forwardings;
      assert.deepEqual(
        tcpOnly.map((x: Body) => x.id),
        [pf.id],
      );
      error(await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings?internal_port=22`), 400, 'PortForwardingNotSupportFilterField');

      const updated = await call('PUT', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`, {
        port_forwarding: { external_port: 2200, internal_port: 2022 },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual([updated.body.port_forwarding.external_port, updated.body.port_forwarding.internal_port], [2200, 2022]);
      error(
        await call('PUT', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`, { port_forwarding: { internal_ip_address: '10.99.99.99' } }),
        400,
        'HTTPBadRequest',
      );

      // A floating IP with forwardings cannot also be associated with a port.
      error(await call('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: (await port()).id } }), 409, 'FipInUseByPortForwarding');

      assert.equal((await call('DELETE', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`)).status, 204);
      error(await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`), 404, 'PortForwardingNotFound');
      error(await call('DELETE', `/v2.0/floatingips/${f.id}/port_forwardings/${pf.id}`), 404, 'PortForwardingNotFound');
      assert.equal((await call('DELETE', `/v2.0/floatingips/${f.id}/port_forwardings/${udp.body.port_forwarding.id}`)).status, 204);
      assert.equal((await call('GET', `/v2.0/floatingips/${f.id}`)).body.floatingip.router_id, null, 'the last forwarding lets the router go');
    });

    test("validation and Neutron's conflicts", async () => {
      const f = await fip();
      const p = await port();
      const base = { protocol: 'tcp', internal_port_id: p.id, internal_port: 80, external_port: 8080 };
      assert.equal((await forward(f.id, { ...base, protocol: 'gre' })).status, 400);
      assert.equal((await forward(f.id, { ...base, external_port: 0 })).status, 400);
      assert.equal((await forward(f.id, { ...base, internal_port: 65536 })).status, 400);
      assert.equal((await forward(f.id, { protocol: 'tcp', internal_port_id: p.id, internal_port: 80 })).status, 400, 'external_port is required');
      assert.equal((await forward(f.id, { ...base, internal_ip_address: '10.99.99.99' })).status, 400);
      assert.equal((await forward(f.id, { ...base, internal_port_range: '80:81' })).status, 400, 'port ranges are not offered');
      error(await forward(f.id, { ...base, internal_port_id: 'no-such-port' }), 404, 'PortNotFound');
      error(await forward('no-such-fip', base), 404, 'FloatingIPNotFound');

      assert.equal((await forward(f.id, base)).status, 201);
      const sameOutside = await forward(f.id, { ...base, internal_port: 81 });
      assert.equal(sameOutside.status, 400);
      assert.match(sameOutside.body.NeutronError.message, /duplicate port forwarding.*external_port/);
      const sameInside = await forward(f.id, { ...base, external_port: 8081 });
      assert.equal(sameInside.status, 400);
      assert.match(sameInside.body.NeutronError.message, /duplicate port forwarding.*internal_port/);

      // An unreachable subnet: a network without a router.
      const net = (await call('POST', '/v2.0/networks', { network: { name: 'isolated' } })).body.network;
      await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.123.0.0/24' } });
      const lonely = (await call('POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
      assert.match((await forward(f.id, { ...base, internal_port_id: lonely.id, external_port: 9000 })).body.NeutronError.message, /not reachable/);

      // A port with its own floating IP cannot be forwarded to; a floating IP on a port cannot forward.
      const bound = await port();
      const owned = (await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: publicId, port_id: bound.id } })).body.floatingip;
      error(await forward(f.id, { ...base, internal_port_id: bound.id, external_port: 9001 }), 409, 'PortHasBindingFloatingIP');
      error(await forward(owned.id, { ...base, external_port: 9002, internal_port: 90 }), 409, 'FloatingIPPortAlreadyAssociated');

      // Deleting the internal port takes its forwardings along.
      assert.equal((await call('DELETE', `/v2.0/ports/${p.id}`)).status, 204);
      assert.deepEqual((await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings`)).body.port_forwardings, []);
    });

    test('parallel creates of one external port: exactly one wins', async () => {
      const f = await fip();
      const ports = await Promise.all(Array.from({ length: 8 }, () => port()));
      const results = await Promise.all(ports.map((p) => forward(f.id, { protocol: 'tcp', internal_port_id: p.id, internal_port: 22, external_port: 4000 })));
      assert.equal(results.filter((r) => r.status === 201).length, 1, JSON.stringify(results.map((r) => r.status)));
      for (const r of results.filter((x) => x.status !== 201)) assert.equal(r.status, 400);
      assert.equal((await call('GET', `/v2.0/floatingips/${f.id}/port_forwardings`)).body.port_forwardings.length, 1);
      assert.equal((await call('DELETE', `/v2.0/floatingips/${f.id}`)).status, 204, 'a floating IP goes with its forwardings');
    });
  });
});
