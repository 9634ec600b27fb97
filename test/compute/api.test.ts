import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: versions, microversions, errors, flavors, keypairs, quotas, limits, zones', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
  });
  after(() => c.close());

  test('version documents need no token; v2.1 announces 2.1..2.82', async () => {
    const root = await c.cloud.request('GET', '/compute');
    assert.equal(root.status, 200);
    assert.deepEqual(
      root.body.versions.map((v: { id: string }) => v.id),
      ['v2.0', 'v2.1'],
    );
    const v21 = root.body.versions[1];
    assert.equal(v21.status, 'CURRENT');
    assert.equal(v21.min_version, '2.1');
    assert.equal(v21.version, '2.82');
    const one = await c.cloud.request('GET', '/compute/v2.1');
    assert.equal(one.body.version.id, 'v2.1');
    assert.equal(one.body.version['media-types'][0].type, 'application/vnd.openstack.compute+json;version=2.1');
  });

  test('microversion negotiation echoes both headers and Vary; out of range is 406, garbage 400', async () => {
    const base = await c.call('GET', '/flavors');
    assert.equal(base.headers.get('openstack-api-version'), 'compute 2.1');
    const legacy = await c.cloud.request('GET', '/compute/v2.1/flavors', { token: c.demo, headers: { 'X-OpenStack-Nova-API-Version': '2.55' } });
    assert.equal(legacy.headers.get('x-openstack-nova-api-version'), '2.55');
    assert.equal(legacy.headers.get('openstack-api-version'), 'compute 2.55');
    assert.match(legacy.headers.get('vary') ?? '', /OpenStack-API-Version/);
    assert.match(legacy.headers.get('vary') ?? '', /x-openstack-nova-api-version/i);
    const latest = await c.cloud.request('GET', '/compute/v2.1/flavors', { token: c.demo, headers: { 'OpenStack-API-Version': 'compute latest' } });
    assert.equal(latest.headers.get('openstack-api-version'), 'compute 2.82');
    novaError(await c.call('GET', '/flavors', { version: '2.999' }), 406, 'notAcceptable');
    novaError(await c.call('GET', '/flavors', { version: 'x.y' }), 400, 'badRequest');
  });

  test('errors come in Nova bodies: 401, 404 route and item, 403 policy, 400 validation', async () => {
    const unauthenticated = await c.cloud.request('GET', '/compute/v2.1/servers');
    novaError(unauthenticated, 401, 'unauthorized');
    novaError(await c.call('GET', '/no-such-thing'), 404, 'itemNotFound');
    assert.match(novaError(await c.call('GET', '/servers/nope'), 404, 'itemNotFound'), /Instance nope could not be found/);
    assert.match(
      novaError(await c.call('POST', '/flavors', { body: { flavor: { name: 'x', ram: 1, vcpus: 1, disk: 0 } } }), 403, 'forbidden'),
      /os-flavor-manage:create/,
    );
    novaError(await c.call('POST', '/flavors', { token: c.admin, body: { flavor: { name: 'x', ram: 'lots', vcpus: 1, disk: 0 } } }), 400, 'badRequest');
  });

  test('DevStack flavors; list brief/detail, is_public, minRam/minDisk, limit/marker with links, description by version', async () => {
    const list = await c.call('GET', '/flavors');
    assert.deepEqual(list.body.flavors.map((f: { name: string }) => f.name).sort(), [
      'm1.large',
      'm1.medium',
      'm1.micro',
      'm1.nano',
      'm1.small',
      'm1.tiny',
      'm1.xlarge',
    ]);
    assert.equal(list.body.flavors[0].description, undefined);
    const nano = (await c.call('GET', '/flavors/42')).body.flavor;
    assert.deepEqual([nano.ram, nano.vcpus, nano.disk, nano.swap, nano['os-flavor-access:is_public']], [128, 1, 1, '', true]);
    assert.equal((await c.call('GET', '/flavors/42', { version: '2.75' })).body.flavor.swap, 0);
    assert.equal((await c.call('GET', '/flavors/42', { version: '2.55' })).body.flavor.description, null);
    const big = await c.call('GET', '/flavors/detail?minRam=4096&minDisk=40');
    assert.deepEqual(big.body.flavors.map((f: { id: string }) => f.id).sort(), ['3', '4', '5']);
    const page = await c.call('GET', '/flavors?limit=2');
    assert.equal(page.body.flavors.length, 2);
    assert.match(page.body.flavors_links[0].href, /marker=/);
    const next = await c.call('GET', `/flavors?limit=2&marker=${page.body.flavors[1].id}`);
    assert.notEqual(next.body.flavors[0].id, page.body.flavors[0].id);
    novaError(await c.call('GET', '/flavors?marker=nope'), 400, 'badRequest');
    novaError(await c.call('GET', '/flavors?limit=-1'), 400, 'badRequest');
  });

  test('flavor admin: create private, access, extra specs, description update (2.55), delete', async () => {
    const created = await c.call('POST', '/flavors', {
      token: c.admin,
      version: '2.55',
      body: { flavor: { name: 'priv', id: 'priv-1', ram: 256, vcpus: 2, disk: 2, 'os-flavor-access:is_public': false, description: 'private one' } },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.flavor.description, 'private one');
    novaError(await c.call('POST', '/flavors', { token: c.admin, body: { flavor: { name: 'priv', ram: 256, vcpus: 2, disk: 2 } } }), 409, 'conflictingRequest');
    assert.equal(
      (await c.call('GET', '/flavors')).body.flavors.some((f: { id: string }) => f.id === 'priv-1'),
      false,
    );
    const demoProject = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const access = await c.call('POST', '/flavors/priv-1/action', { token: c.admin, body: { addTenantAccess: { tenant: demoProject } } });
    assert.deepEqual(access.body.flavor_access, [{ flavor_id: 'priv-1', tenant_id: demoProject }]);
    assert.equal(
      (await c.call('GET', '/flavors')).body.flavors.some((f: { id: string }) => f.id === 'priv-1'),
      true,
    );
    const specs = await c.call('POST', '/flavors/priv-1/os-extra_specs', { token: c.admin, body: { extra_specs: { 'hw:cpu_policy': 'shared' } } });
    assert.deepEqual(specs.body.extra_specs, { 'hw:cpu_policy': 'shared' });
    assert.deepEqual((await c.call('GET', '/flavors/priv-1/os-extra_specs/hw:cpu_policy')).body, { 'hw:cpu_policy': 'shared' });
    assert.deepEqual((await c.call('GET', '/flavors/priv-1', { version: '2.61' })).body.flavor.extra_specs, { 'hw:cpu_policy': 'shared' });
    novaError(await c.call('PUT', '/flavors/priv-1', { token: c.admin, version: '2.54', body: { flavor: { description: 'x' } } }), 400, 'badRequest');
    const updated = await c.call('PUT', '/flavors/priv-1', { token: c.admin, version: '2.55', body: { flavor: { description: 'renamed' } } });
    assert.equal(updated.body.flavor.description, 'renamed');
    assert.equal((await c.call('DELETE', '/flavors/priv-1/os-extra_specs/hw:cpu_policy', { token: c.admin })).status, 200);
    assert.equal((await c.call('DELETE', '/flavors/priv-1', { token: c.admin })).status, 202);
    novaError(await c.call('GET', '/flavors/priv-1'), 404, 'itemNotFound');
  });

  test('keypairs: generate (real RSA key), import, types by microversion, per user, duplicates, delete', async () => {
    const generated = await c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name: 'gen' } } });
    assert.equal(generated.status, 201, generated.text);
    const { public_key: publicKey, private_key: privateKey, fingerprint, type } = generated.body.keypair;
    assert.equal(type, 'ssh');
    assert.match(publicKey, /^ssh-rsa AAAA/);
    assert.match(fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    // The private key is a real key whose public half is the one stored.
    const derived = createPublicKey(createPrivateKey(privateKey)).export({ format: 'jwk' });
    assert.ok(Buffer.from(publicKey.split(' ')[1], 'base64').includes(Buffer.from(derived.n as string, 'base64url')));
    const imported = await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'imp', public_key: publicKey } } });
    assert.equal(imported.status, 200);
    assert.equal(imported.body.keypair.fingerprint, fingerprint);
    assert.equal(imported.body.keypair.type, undefined);
    novaError(await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'imp', public_key: publicKey } } }), 409, 'conflictingRequest');
    novaError(await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'bad', public_key: 'ssh-rsa notbase64!' } } }), 400, 'badRequest');
    novaError(await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'bad/name' } } }), 400, 'badRequest');
    const shown = await c.call('GET', '/os-keypairs/gen', { version: '2.2' });
    assert.equal(typeof shown.body.keypair.id, 'number');
    assert.equal(shown.body.keypair.type, 'ssh');
    const list = await c.call('GET', '/os-keypairs');
    assert.deepEqual(
      list.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name),
      ['gen', 'imp'],
    );
    // Keypairs are per user: admin sees none of demo's, unless it names the user (2.10).
    assert.equal((await c.call('GET', '/os-keypairs', { token: c.admin })).body.keypairs.length, 0);
    const demoUser = shown.body.keypair.user_id;
    assert.equal((await c.call('GET', `/os-keypairs?user_id=${demoUser}`, { token: c.admin, version: '2.10' })).body.keypairs.length, 2);
    novaError(await c.call('GET', '/os-keypairs/gen?user_id=someone', { version: '2.10' }), 403, 'forbidden');
    const x509 = await c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name: 'cert', type: 'x509' } } });
    assert.equal(x509.status, 201, x509.text);
    const certificate = new X509Certificate(x509.body.keypair.public_key);
    assert.match(certificate.subject, /CN=cert/);
    assert.ok(certificate.verify(createPublicKey(createPrivateKey(x509.body.keypair.private_key))));
    assert.equal(x509.body.keypair.fingerprint, certificate.fingerprint.toLowerCase());
    assert.equal((await c.call('DELETE', '/os-keypairs/cert')).status, 202);
    assert.equal((await c.call('DELETE', '/os-keypairs/imp')).status, 202);
    assert.equal((await c.call('DELETE', '/os-keypairs/gen', { version: '2.2' })).status, 204);
    novaError(await c.call('DELETE', '/os-keypairs/gen'), 404, 'itemNotFound');
  });

  test('quota sets: show, defaults, detail, admin update with usage check, network quotas gone at 2.36; limits', async () => {
    const project = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const shown = await c.call('GET', `/os-quota-sets/${project}`);
    assert.equal(shown.body.quota_set.id, project);
    assert.equal(shown.body.quota_set.instances, 10);
    assert.equal(shown.body.quota_set.security_groups, 10);
    assert.equal((await c.call('GET', `/os-quota-sets/${project}`, { version: '2.36' })).body.quota_set.security_groups, undefined);
    assert.equal((await c.call('GET', `/os-quota-sets/${project}/defaults`)).body.quota_set.cores, 20);
    const detail = await c.call('GET', `/os-quota-sets/${project}/detail`);
    assert.deepEqual(detail.body.quota_set.instances, { limit: 10, in_use: 0, reserved: 0 });
    novaError(await c.call('PUT', `/os-quota-sets/${project}`, { body: { quota_set: { instances: 5 } } }), 403, 'forbidden');
    const updated = await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { instances: 5 } } });
    assert.equal(updated.body.quota_set.instances, 5);
    novaError(await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { bogus: 5 } } }), 400, 'badRequest');
    const limits = await c.call('GET', '/limits');
    assert.equal(limits.body.limits.absolute.maxTotalInstances, 5);
    assert.equal(limits.body.limits.absolute.totalInstancesUsed, 0);
    assert.deepEqual(limits.body.limits.rate, []);
    assert.equal((await c.call('DELETE', `/os-quota-sets/${project}`, { token: c.admin })).status, 202);
    assert.equal((await c.call('GET', '/limits')).body.limits.absolute.maxTotalInstances, 10);
    const classes = await c.call('GET', '/os-quota-class-sets/default', { token: c.admin });
    assert.equal(classes.body.quota_class_set.id, 'default');
  });

  test('availability zones: nova for everyone, hosts in detail for admins', async () => {
    const zones = await c.call('GET', '/os-availability-zone');
    assert.deepEqual(zones.body.availabilityZoneInfo, [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }]);
    novaError(await c.call('GET', '/os-availability-zone/detail'), 403, 'forbidden');
    const detail = await c.call('GET', '/os-availability-zone/detail', { token: c.admin });
    const [internal, nova] = detail.body.availabilityZoneInfo;
    assert.ok(nova.hosts['nimbus-compute']['nova-compute'].available);
    // Nova's control services sit in the `internal` zone, shown to admins only.
    assert.equal(internal.zoneName, 'internal');
    const controlHost = Object.values(internal.hosts)[0] as Record<string, { available: boolean }>;
    assert.deepEqual(Object.keys(controlHost).sort(), ['nova-conductor', 'nova-scheduler']);
    assert.ok(controlHost['nova-scheduler']!.available);
  });

  test('os-services and os-hypervisors: the fake host, integer ids before 2.53 and uuids after, admin only', async () => {
    novaError(await c.call('GET', '/os-services'), 403, 'forbidden');
    const services = await c.call('GET', '/os-services', { token: c.admin });
    assert.deepEqual(
      services.body.services.map((s: Record<string, unknown>) => [s.id, s.binary, s.host, s.zone, s.status, s.state]),
      [[1, 'nova-compute', 'nimbus-compute', 'nova', 'enabled', 'up']],
    );
    const uuids = await c.call('GET', '/os-services', { token: c.admin, version: '2.53' });
    assert.match(uuids.body.services[0].id, /^[0-9a-f-]{36}$/);
    assert.equal(uuids.body.services[0].forced_down, false);
    const detail = await c.call('GET', '/os-hypervisors/detail', { token: c.admin });
    const [hypervisor] = detail.body.hypervisors;
    assert.deepEqual(
      [hypervisor.id, hypervisor.hypervisor_hostname, hypervisor.vcpus, hypervisor.hypervisor_type, hypervisor.service.host],
      [1, 'nimbus-compute', 64, 'fake', 'nimbus-compute'],
    );
    assert.equal((await c.call('GET', '/os-hypervisors/1', { token: c.admin })).body.hypervisor.memory_mb, 262144);
    novaError(await c.call('GET', '/os-hypervisors/2', { token: c.admin }), 404, 'itemNotFound');
    assert.equal((await c.call('GET', '/os-hypervisors/statistics', { token: c.admin })).body.hypervisor_statistics.count, 1);
    const v253 = await c.call('GET', '/os-hypervisors', { token: c.admin, version: '2.53' });
    assert.equal((await c.call('GET', `/os-hypervisors/${v253.body.hypervisors[0].id}`, { token: c.admin, version: '2.53' })).status, 200);
  });
});
