/**
 * QoS enforced by the Linux-bridge driver on a real host (`--drivers real`),
 * driven with the `openstack` CLI: a policy with a bandwidth-limit rule for
 * each direction, given to a port bound to this host (`port set
 * --qos-policy`), shows on the port's tap as Neutron's agent puts it (a
 * policing filter on the tap's ingress for what the VM sends, a tbf root
 * qdisc for what it receives); a changed rule changes it; unsetting the
 * policy removes both. Needs root and the real-driver packages, skipped with
 * the reason elsewhere; everything it makes is removed, also on failure.
 */
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostObjectsOf, realHostMissing, startRealCloud, tearDownRealCloud, type RealCloud } from './support.js';

const missing = realHostMissing();

let cloud: RealCloud | null = null;
const made: string[] = [];

before(async () => {
  if (!missing) cloud = await startRealCloud('');
});

after(async () => {
  if (cloud) await tearDownRealCloud(cloud);
  if (made.length > 0) assert.deepEqual(hostObjectsOf(made), [], 'nothing of the test is left on the host');
});

const tc = (...args: string[]) => execFileSync('tc', args).toString();

/**
 * The rate what the VM sends is held to: the policer on the tap's ingress,
 * or, on a kernel without the police action, the tbf of the ifb device the
 * tap's ingress is redirected to (see the driver's qos.ts). Null: no limit.
 */
function egressRate(portId: string): string | null {
  const filters = tc('filter', 'show', 'dev', `tap${portId.slice(0, 11)}`, 'ingress');
  const police = /police .*rate (\S+)/.exec(filters);
  if (police) return police[1] ?? null;
  if (!filters.includes('mirred')) return null;
  return /tbf .*rate (\S+)/.exec(tc('qdisc', 'show', 'dev', `ifb${portId.slice(0, 11)}`))?.[1] ?? null;
}

test(
  'real drivers: a QoS policy on a port is tc on its tap, changed with its rule, removed with it',
  { skip: missing ?? false, timeout: 300_000 },
  async () => {
    const c = cloud as RealCloud;
    const admin = c.admin.bind(c);
    const run = async (args: string[]) => {
      const { openstack } = await import('../clients/openstack.js');
      const result = await openstack(c.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
      assert.equal(result.code, 0, result.stderr);
    };

    const network = await admin(['network', 'create', 'qos-net']);
    made.push(String(network.id));
    await admin(['subnet', 'create', '--network', 'qos-net', '--subnet-range', '10.93.0.0/24', 'qos-subnet']);
    await admin(['network', 'qos', 'policy', 'create', 'real-limit']);
    const egress = await admin([
      'network',
      'qos',
      'rule',
      'create',
      '--type',
      'bandwidth-limit',
      '--max-kbps',
      '8000',
      '--max-burst-kbits',
      '1000',
      '--egress',
      'real-limit',
    ]);
    await admin(['network', 'qos', 'rule', 'create', '--type', 'bandwidth-limit', '--max-kbps', '4000', '--ingress', 'real-limit']);
    const port = await admin(['port', 'create', '--network', 'qos-net', '--host', 'nimbus', 'qos-port']);
    made.push(String(port.id));
    const tap = `tap${String(port.id).slice(0, 11)}`;
    assert.equal(port.binding_vif_type, 'bridge', JSON.stringify(port));
    assert.doesNotMatch(tc('qdisc', 'show', 'dev', tap), /tbf|ingress/);

    await run(['port', 'set', '--qos-policy', 'real-limit', 'qos-port']);
    assert.equal(egressRate(String(port.id)), '8Mbit');
    assert.match(tc('qdisc', 'show', 'dev', tap), /qdisc tbf .* rate 4Mbit/);

    await run(['network', 'qos', 'rule', 'set', '--max-kbps', '2000', 'real-limit', String(egress.id)]);
    assert.equal(egressRate(String(port.id)), '2Mbit');

    await run(['port', 'unset', '--qos-policy', 'qos-port']);
    assert.doesNotMatch(tc('qdisc', 'show', 'dev', tap), /tbf|ingress/);
    assert.equal(egressRate(String(port.id)), null);

    await run(['port', 'delete', 'qos-port']);
    await run(['network', 'qos', 'policy', 'delete', 'real-limit']);
    await run(['network', 'delete', 'qos-net']);
  },
);
