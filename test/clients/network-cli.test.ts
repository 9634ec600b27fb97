/**
 * The network API through Debian's `openstack` CLI, as a user drives it.
 * Skips (saying why) where python3-openstackclient is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: network', { skip }, () => {
  let cloud: TestServer;
  const as = (cloudName: string) => (args: string[]) => openstackJson<Row>(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const listAs = (cloudName: string) => (args: string[]) => openstackJson<Row[]>(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const runAs = (cloudName: string) => (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
  const demo = () => as('nimbus-demo');
  const demoList = () => listAs('nimbus-demo');
  const demoRun = () => runAs('nimbus-demo');

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('network, subnet, port, router with interface and gateway, floating IP', async () => {
    const net = await demo()(['network', 'create', 'cli-net']);
    assert.equal(net.name, 'cli-net');
    const subnet = await demo()(['subnet', 'create', 'cli-subnet', '--network', 'cli-net', '--subnet-range', '10.20.0.0/24']);
    assert.equal(subnet.cidr, '10.20.0.0/24');
    assert.equal(subnet.gateway_ip, '10.20.0.1');
    const port = await demo()(['port', 'create', 'cli-port', '--network', 'cli-net', '--fixed-ip', 'subnet=cli-subnet,ip-address=10.20.0.50']);
    assert.match(JSON.stringify(port.fixed_ips), /10\.20\.0\.50/);
    assert.ok((await demoList()(['network', 'list'])).some((n) => n.Name === 'cli-net'));
    assert.ok((await demoList()(['port', 'list', '--network', 'cli-net'])).some((p) => p.Name === 'cli-port'));

    const router = await demo()(['router', 'create', 'cli-router']);
    assert.equal((await demoRun()(['router', 'add', 'subnet', 'cli-router', 'cli-subnet'])).code, 0);
    const gateway = await demoRun()(['router', 'set', 'cli-router', '--external-gateway', 'public']);
    assert.equal(gateway.code, 0, gateway.stderr);
    const shown = await demo()(['router', 'show', 'cli-router']);
    assert.equal(shown.id, router.id);
    assert.match(JSON.stringify(shown.external_gateway_info), /network_id/);

    const fip = await demo()(['floating', 'ip', 'create', 'public']);
    assert.match(String(fip.floating_ip_address), /^172\.24\.4\./);
    const set = await demoRun()(['floating', 'ip', 'set', '--port', 'cli-port', String(fip.floating_ip_address)]);
    assert.equal(set.code, 0, set.stderr);
    const associated = await demo()(['floating', 'ip', 'show', String(fip.id)]);
    assert.equal(associated.fixed_ip_address, '10.20.0.50');
    assert.equal((await demoRun()(['floating', 'ip', 'delete', String(fip.id)])).code, 0);
    assert.equal((await demoRun()(['router', 'unset', '--external-gateway', 'cli-router'])).code, 0);
    assert.equal((await demoRun()(['router', 'remove', 'subnet', 'cli-router', 'cli-subnet'])).code, 0);
    assert.equal((await demoRun()(['router', 'delete', 'cli-router'])).code, 0);
    assert.equal((await demoRun()(['port', 'delete', 'cli-port'])).code, 0);
    const inUse = await demoRun()(['network', 'delete', 'cli-net']);
    assert.equal(inUse.code, 0, inUse.stderr);
  });

  test('a subnet range with host bits is kept as its network address; a remote prefix as given, beside its normalized CIDR (issue 21)', async () => {
    await demo()(['network', 'create', 'cli-hostbits']);
    const subnet = await demo()(['subnet', 'create', 'cli-hostbits-subnet', '--network', 'cli-hostbits', '--subnet-range', '10.99.99.0/16']);
    assert.equal(subnet.cidr, '10.99.0.0/16');
    assert.equal(subnet.gateway_ip, '10.99.0.1');
    const group = await demo()(['security', 'group', 'create', 'cli-hostbits-sg']);
    const rule = await demo()(['security', 'group', 'rule', 'create', String(group.id), '--protocol', 'tcp', '--remote-ip', '10.1.2.3/8']);
    assert.equal(rule.remote_ip_prefix, '10.1.2.3/8', 'Neutron keeps the prefix as given');
    const shown = await cloud.request('GET', `/network/v2.0/security-group-rules/${String(rule.id)}`, { token: await cloud.demoToken() });
    assert.equal((shown.body as { security_group_rule: { normalized_cidr: string } }).security_group_rule.normalized_cidr, '10.0.0.0/8');
    const written = await demoRun()(['subnet', 'create', 'cli-hostbits-bad', '--network', 'cli-hostbits', '--subnet-range', '10.98.0.0']);
    assert.notEqual(written.code, 0, 'a non-canonical address is still refused');
    assert.match(written.stderr, /isn't a recognized IP subnet cidr, '10\.98\.0\.0\/32' is recommended/);

    await demo()(['router', 'create', 'cli-hostbits-router']);
    assert.equal((await demoRun()(['router', 'add', 'subnet', 'cli-hostbits-router', 'cli-hostbits-subnet'])).code, 0);
    for (const destination of ['192.168.50.0/24', '192.168.50.0/24', '192.168.50.7/24']) {
      const added = await demoRun()(['router', 'add', 'route', 'cli-hostbits-router', '--route', `destination=${destination},gateway=10.99.0.9`]);
      assert.equal(added.code, 0, added.stderr);
    }
    const routed = await demo()(['router', 'show', 'cli-hostbits-router']);
    assert.equal((routed.routes as unknown[]).length, 1, `one route however often it is added: ${JSON.stringify(routed.routes)}`);
  });

  test('security group and rule create, list, delete', async () => {
    const group = await demo()(['security', 'group', 'create', 'cli-sg', '--description', 'from the CLI']);
    assert.equal(group.name, 'cli-sg');
    const rule = await demo()(['security', 'group', 'rule', 'create', 'cli-sg', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0']);
    assert.equal(rule.port_range_min, 22);
    const duplicate = await demoRun()(['security', 'group', 'rule', 'create', 'cli-sg', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0']);
    assert.notEqual(duplicate.code, 0);
    assert.match(duplicate.stderr, /already exists/);
    const rules = await demoList()(['security', 'group', 'rule', 'list', 'cli-sg']);
    assert.ok(rules.some((r) => r.ID === rule.id));
    assert.ok((await demoList()(['security', 'group', 'list'])).some((g) => g.Name === 'default'));
    assert.equal((await demoRun()(['security', 'group', 'rule', 'delete', String(rule.id)])).code, 0);
    assert.equal((await demoRun()(['security', 'group', 'delete', 'cli-sg'])).code, 0);
  });

  test('network rbac create; quota set --networks, quota show and quota list --network', async () => {
    const admin = as('nimbus');
    const net = await admin(['network', 'create', 'cli-shared']);
    const policy = await admin(['network', 'rbac', 'create', '--type', 'network', '--action', 'access_as_shared', '--target-project', 'demo', String(net.id)]);
    assert.equal(policy.object_id, net.id);
    assert.ok(
      (await demoList()(['network', 'list'])).some((n) => n.ID === net.id),
      'demo sees the shared network',
    );
    // openstackclient builds a Nova client for `quota set/show` too: this needs compute in the catalog.
    const set = await runAs('nimbus')(['quota', 'set', '--networks', '42', 'demo']);
    assert.equal(set.code, 0, set.stderr);
    const shown = await admin(['quota', 'show', 'demo']);
    assert.equal(shown.networks, 42, JSON.stringify(shown));
    const quotas = await listAs('nimbus')(['quota', 'list', '--network']);
    const demoQuota = quotas.find((q) => q['Project Name'] === 'demo' || q.Networks === 42);
    assert.ok(demoQuota, JSON.stringify(quotas));
    assert.equal(demoQuota.Networks, 42);
  });

  test('address scope create; subnet pool create, list, show, delete; subnet create --subnet-pool', async () => {
    const scope = await demo()(['address', 'scope', 'create', '--ip-version', '4', 'cli-scope']);
    assert.equal(scope.ip_version, 4);
    const pool = await demo()([
      'subnet',
      'pool',
      'create',
      '--pool-prefix',
      '10.90.0.0/16',
      '--default-prefix-length',
      '24',
      '--address-scope',
      'cli-scope',
      'cli-pool',
    ]);
    assert.deepEqual(pool.prefixes, ['10.90.0.0/16']);
    assert.equal(pool.address_scope_id, scope.id);
    assert.ok((await demoList()(['subnet', 'pool', 'list'])).some((p) => p.Name === 'cli-pool'));
    assert.equal((await demo()(['subnet', 'pool', 'show', 'cli-pool'])).id, pool.id);
    await demo()(['network', 'create', 'cli-pool-net']);
    const subnet = await demo()(['subnet', 'create', '--network', 'cli-pool-net', '--subnet-pool', 'cli-pool', 'cli-pool-subnet']);
    assert.equal(subnet.cidr, '10.90.0.0/24');
    assert.equal(subnet.subnetpool_id, pool.id);
    const sized = await demo()(['subnet', 'create', '--network', 'cli-pool-net', '--subnet-pool', 'cli-pool', '--prefix-length', '26', 'cli-pool-subnet2']);
    assert.equal(sized.cidr, '10.90.1.0/26');
    const inUse = await demoRun()(['subnet', 'pool', 'delete', 'cli-pool']);
    assert.notEqual(inUse.code, 0);
    assert.equal((await demoRun()(['network', 'delete', 'cli-pool-net'])).code, 0);
    assert.equal((await demoRun()(['subnet', 'pool', 'delete', 'cli-pool'])).code, 0);
    assert.equal((await demoRun()(['address', 'scope', 'delete', 'cli-scope'])).code, 0);
  });

  test('ip availability list/show (admin); floating ip port forwarding create/list', async () => {
    const admin = listAs('nimbus');
    const rows = await admin(['ip', 'availability', 'list']);
    const pub = rows.find((r) => r['Network Name'] === 'public');
    assert.ok(pub, JSON.stringify(rows));
    assert.equal(typeof pub['Total IPs'], 'number');
    assert.ok(Number(pub['Used IPs']) >= 1, 'router1 holds a gateway address on public');
    const shown = await as('nimbus')(['ip', 'availability', 'show', 'public']);
    assert.equal(shown.network_name, 'public');

    const port = await demo()(['port', 'create', 'cli-pf-port', '--network', 'private']);
    const address = (port.fixed_ips as Array<{ ip_address: string }>).map((f) => f.ip_address).find((ip) => !ip.includes(':'));
    assert.ok(address, JSON.stringify(port.fixed_ips));
    const fip = await demo()(['floating', 'ip', 'create', 'public']);
    const pf = await demo()([
      'floating',
      'ip',
      'port',
      'forwarding',
      'create',
      '--internal-ip-address',
      address,
      '--port',
      'cli-pf-port',
      '--internal-protocol-port',
      '22',
      '--external-protocol-port',
      '2222',
      '--protocol',
      'tcp',
      String(fip.id),
    ]);
    assert.equal(pf.external_port, 2222);
    assert.equal(pf.internal_ip_address, address);
    const forwardings = await demoList()(['floating', 'ip', 'port', 'forwarding', 'list', String(fip.id)]);
    assert.deepEqual(
      forwardings.map((f) => f.ID),
      [pf.id],
    );
    assert.equal((await demoRun()(['floating', 'ip', 'delete', String(fip.id)])).code, 0);
    assert.equal((await demoRun()(['port', 'delete', 'cli-pf-port'])).code, 0);
  });
});
