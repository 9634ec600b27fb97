/**
 * The declarative seed applied to an in-process server at start-up, checked
 * through the APIs as a user of the cloud sees it; applied again (nothing
 * made twice); and refused with the seed file's line and column.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ServiceRegistry } from '../../src/core/service-module.js';
import { createLogger } from '../../src/core/logger.js';
import { applySeed } from '../../src/seed/index.js';
import { openstack, openstackAvailable } from '../clients/openstack.js';
import { startTestServer, type TestServer } from '../support/server.js';

const folder = mkdtempSync(join(tmpdir(), 'nimbus-seed-'));
const IMAGE_BYTES = Buffer.from('not really a disk, but bytes the image must give back\n');

const SEED = `# one of each kind
domains:
  - name: acme
projects:
  - name: dev
    domain: acme
    quotas:
      compute: { instances: 3 }
      network: { network: 7 }
      volume: { volumes: 4 }
users:
  - name: alice
    domain: acme
    password: wonderland
    default_project: dev
    roles:
      - { role: member, project: dev }
groups:
  - name: devs
    domain: acme
    users: [alice]
    roles: [{ role: reader, project: dev }]
application_credentials:
  - { name: ci, user: alice, project: dev, secret: s3cret-for-ci }
flavors:
  - { name: seed.tiny, ram_mb: 256, vcpus: 1, disk_gb: 1 }
images:
  - name: from-file
    project: dev
    file: disk.raw
  - name: generated
    visibility: public
    generate: { size_mb: 1, format: qcow2 }
networks:
  - { name: ext-net, external: true }
  - { name: private, project: dev }
subnets:
  - { name: private-subnet, network: private, project: dev, cidr: 10.20.0.0/24 }
  - { name: ext-subnet, network: ext-net, cidr: 203.0.113.0/24, enable_dhcp: false }
routers:
  - { name: edge, project: dev, external_gateway: ext-net, interfaces: [private-subnet] }
security_groups:
  - name: web
    project: dev
    rules:
      - { direction: ingress, protocol: tcp, port_range_min: 80, port_range_max: 80, remote_ip_prefix: 0.0.0.0/0 }
keypairs:
  - { name: alice-key, user: alice }
volumes:
  - { name: data, project: dev, size_gb: 1 }
containers:
  - name: site
    project: dev
    user: alice
    objects:
      - { name: index.html, content: "<h1>seeded</h1>", content_type: text/html }
      - { name: disk.raw, file: disk.raw }
stacks:
  - { name: app, project: dev, template_file: app.yaml }
`;
const TEMPLATE = 'heat_template_version: 2018-08-31\nresources:\n  word: { type: OS::Heat::RandomString, properties: { length: 8 } }\n';

function seedFile(name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

describe('a seed applied at start-up', () => {
  let cloud: TestServer;
  let file: string;
  let alice: string;
  let dev: string;
  const services = (): ServiceRegistry => Object.fromEntries(Object.entries(cloud.server.services).map(([name, instance]) => [name, instance.operations]));
  const apply = (path: string) => applySeed(path, { services: services(), dataDir: cloud.dataDir, log: createLogger('silent') });
  const get = async (path: string, token: string) => {
    const response = await cloud.request('GET', path, { token });
    assert.equal(response.status, 200, `${path}: ${response.text}`);
    return response.body;
  };

  before(async () => {
    writeFileSync(join(folder, 'disk.raw'), IMAGE_BYTES);
    writeFileSync(join(folder, 'app.yaml'), TEMPLATE);
    file = seedFile('seed.yaml', SEED);
    cloud = await startTestServer((config) => {
      config.server.seed = file;
    });
    const login = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'acme' }, password: 'wonderland' } } },
          scope: { project: { name: 'dev', domain: { name: 'acme' } } },
        },
      },
    });
    assert.equal(login.status, 201, login.text);
    alice = login.headers.get('x-subject-token') ?? '';
    dev = login.body.token.project.id;
  });
  after(async () => {
    await cloud?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the user logs in with its password and sees its project, roles from the user and its group', async () => {
    const projects = await get('/identity/v3/auth/projects', alice);
    assert.deepEqual(
      projects.projects.map((p: { name: string }) => p.name),
      ['dev'],
    );
    const scoped = await cloud.request('GET', '/identity/v3/auth/tokens', { token: alice, headers: { 'x-subject-token': alice } });
    assert.deepEqual(scoped.body.token.roles.map((r: { name: string }) => r.name).sort(), ['member', 'reader']);
  });

  test('the application credential authenticates with the secret the seed gives', async () => {
    const credentials = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { name: 'ci', secret: 's3cret-for-ci', user: { name: 'alice', domain: { name: 'acme' } } },
          },
        },
      },
    });
    assert.equal(credentials.status, 201, credentials.text);
    assert.equal(credentials.body.token.project.name, 'dev');
  });

  test(
    'the real CLI authenticates with the seeded application credential and lists what the project holds',
    { skip: !openstackAvailable() && 'no openstack CLI' },
    async () => {
      const auth = ['--os-auth-type', 'v3applicationcredential', '--os-auth-url', `${cloud.identityUrl}/v3`, '--os-application-credential-name', 'ci'];
      const user = ['--os-application-credential-secret', 's3cret-for-ci', '--os-username', 'alice', '--os-user-domain-name', 'acme'];
      const listed = await openstack(cloud.cloudsYaml, [...auth, ...user, 'network', 'list', '-f', 'value', '-c', 'Name']);
      assert.equal(listed.code, 0, listed.stderr);
      // The project's own network, and the external ones everybody sees (the seed's and the first start's `public`).
      assert.deepEqual(listed.stdout.trim().split('\n').sort(), ['ext-net', 'private', 'public']);
    },
  );

  test('the network has its subnet, the router its gateway and interface, the security group its rule', async () => {
    const networks = (await get('/network/v2.0/networks?name=private', alice)).networks;
    assert.equal(networks.length, 1);
    const subnets = (await get(`/network/v2.0/subnets?network_id=${networks[0].id}`, alice)).subnets;
    assert.deepEqual(
      subnets.map((s: { name: string; cidr: string }) => [s.name, s.cidr]),
      [['private-subnet', '10.20.0.0/24']],
    );
    const [router] = (await get('/network/v2.0/routers?name=edge', alice)).routers;
    assert.ok(router.external_gateway_info?.network_id, 'the router has its gateway');
    const ports = (await get(`/network/v2.0/ports?device_id=${router.id}&network_id=${networks[0].id}`, alice)).ports;
    assert.equal(ports.length, 1, 'one interface on the private network');
    const [web] = (await get('/network/v2.0/security-groups?name=web', alice)).security_groups;
    assert.ok(web.security_group_rules.some((r: { port_range_min: number | null }) => r.port_range_min === 80));
  });

  test("the image gives back its file's bytes; the generated one is an active qcow2", async () => {
    const [image] = (await get('/image/v2/images?name=from-file', alice)).images;
    assert.equal(image.owner, dev);
    const data = await fetch(`${cloud.url}/image/v2/images/${image.id}/file`, { headers: { 'x-auth-token': alice } });
    assert.deepEqual(Buffer.from(await data.arrayBuffer()), IMAGE_BYTES);
    const [generated] = (await get('/image/v2/images?name=generated', alice)).images;
    assert.deepEqual([generated.status, generated.disk_format, generated.visibility], ['active', 'qcow2', 'public']);
  });

  test("the objects' bytes, written by the user; the volume is available; the quotas are the seed's", async () => {
    const object = await fetch(`${cloud.url}/object-store/v1/AUTH_${dev}/site/index.html`, { headers: { 'x-auth-token': alice } });
    assert.equal(await object.text(), '<h1>seeded</h1>');
    assert.equal(object.headers.get('content-type'), 'text/html');
    const [volume] = (await get(`/volume/v3/${dev}/volumes/detail?name=data`, alice)).volumes;
    assert.deepEqual([volume.status, volume.size], ['available', 1]);
    const admin = await cloud.adminToken();
    assert.equal((await get(`/compute/v2.1/os-quota-sets/${dev}`, admin)).quota_set.instances, 3);
    assert.equal((await get(`/network/v2.0/quotas/${dev}`, admin)).quota.network, 7);
    assert.equal((await get(`/volume/v3/${dev}/os-quota-sets/${dev}`, admin)).quota_set.volumes, 4);
  });

  test("the key pair is alice's, its private key under the data dir; the flavor and the stack exist", async () => {
    const keypair = await get('/compute/v2.1/os-keypairs/alice-key', alice);
    assert.match(readFileSync(join(cloud.dataDir, 'seed-keys', 'alice', 'alice-key.pem'), 'utf8'), /PRIVATE KEY/);
    assert.ok(keypair.keypair.public_key);
    const flavors = (await get('/compute/v2.1/flavors', alice)).flavors;
    assert.ok(flavors.some((f: { name: string }) => f.name === 'seed.tiny'));
    const stacks = (await get(`/orchestration/v1/${dev}/stacks`, alice)).stacks;
    assert.deepEqual(
      stacks.map((s: { stack_name: string; stack_status: string }) => [s.stack_name, s.stack_status]),
      [['app', 'CREATE_COMPLETE']],
    );
  });

  test('applied a second time, the seed changes nothing', async () => {
    assert.deepEqual(await apply(file), { created: 0 });
    assert.equal((await get('/network/v2.0/networks?name=private', alice)).networks.length, 1);
    assert.equal((await get('/image/v2/images?name=from-file', alice)).images.length, 1);
  });

  test('a name that refers to nothing is an error at its line and column', async () => {
    const bad = seedFile('bad-ref.yaml', 'subnets:\n  - name: lost\n    cidr: 10.9.0.0/24\n    network: nowhere\n');
    await assert.rejects(apply(bad), { message: "bad-ref.yaml:4:14: network 'nowhere' does not exist" });
  });

  test('an unknown key and a value of the wrong type are errors at their places, all of them, before anything is made', async () => {
    const bad = seedFile(
      'bad-shape.yaml',
      'projects:\n  - name: never-made\nnetworks:\n  - name: n1\n    shard: true\nvolumes:\n  - name: v\n    size_gb: big\n',
    );
    await assert.rejects(apply(bad), {
      message: "bad-shape.yaml:5:5: unknown key 'shard' in networks[0]\nbad-shape.yaml:8:14: volumes[0].size_gb must be integer",
    });
    const admin = await cloud.adminToken();
    assert.equal((await get('/identity/v3/projects?name=never-made', admin)).projects.length, 0);
  });

  test("a quota the seed exceeds fails with the service's message at the entry's line", async () => {
    const bad = seedFile(
      'over-quota.yaml',
      'projects:\n  - name: small\n    quotas: { volume: { volumes: 1 } }\nvolumes:\n  - { name: one, project: small, size_gb: 1 }\n  - { name: two, project: small, size_gb: 1 }\n',
    );
    await assert.rejects(apply(bad), (error: Error) => {
      assert.match(error.message, /^over-quota\.yaml:6:5: volume 'two': .*Maximum number of volumes allowed \(1\) exceeded/);
      return true;
    });
  });

  test("a quota resource the service does not know is the service's own 400, at its place", async () => {
    const bad = seedFile('bad-quota.yaml', 'projects:\n  - name: odd\n    quotas:\n      compute: { instances: 2 }\n      network: { bogus: 1 }\n');
    await assert.rejects(apply(bad), (error: Error) => {
      assert.match(error.message, /^bad-quota\.yaml:5:16: network quotas of project 'odd': .*bogus/);
      return true;
    });
  });

  test('a server with a bad seed does not start', async () => {
    const bad = seedFile('bad-start.yaml', 'flavors:\n  - { name: x, ram_mb: 0, vcpus: 1, disk_gb: 1 }\n');
    await assert.rejects(
      startTestServer((config) => {
        config.server.seed = bad;
      }),
      { message: /^bad-start\.yaml:2:24: flavors\[0\]\.ram_mb must be >= 1/ },
    );
  });
});
