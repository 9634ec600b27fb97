/**
 * Real resources for the fuzzer's path parameters: a hostile body aimed at a
 * server that exists gets past the 404 into the code that does the work.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TestServer } from '../support/server.js';
import { EDGE_STRINGS } from './hostile.js';

export interface Fixtures {
  projectId: string;
  /** Ids of real resources by the collection segment that precedes their id in a route. */
  byCollection: Record<string, string>;
  /** The same and more by name, for the `$name` placeholders of examples.ts. */
  byName: Record<string, string>;
  container: string;
  object: string;
}

export async function createFixtures(cloud: TestServer, token: string): Promise<Fixtures> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await cloud.request(method, path, { token, ...(body === undefined ? {} : { body }) });
    assert.ok(response.status < 300, `fixture ${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  };
  const tokenInfo = await cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
  const projectId: string = tokenInfo.body.token.project.id;
  // Identity's own targets are a user and a project of their own: an admin's hostile PATCH
  // (a new password, enabled: false) must not lock the fuzzer's callers out.
  const admin = await cloud.adminToken();
  const domainProject = await cloud.request('POST', '/identity/v3/projects', { token: admin, body: { project: { name: 'fuzz-target' } } });
  const targetUser = await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name: 'fuzz-target', password: 'fuzz-target' } } });
  assert.equal(targetUser.status, 201, targetUser.text);

  const network = (await call('GET', '/network/v2.0/networks?name=private')).networks[0];
  const publicNet = (await call('GET', '/network/v2.0/networks?name=public')).networks[0];
  const router = (await call('GET', '/network/v2.0/routers?name=router1')).routers[0];
  const port = (await call('POST', '/network/v2.0/ports', { port: { network_id: network.id, name: 'fuzz' } })).port;
  const group = (await call('POST', '/network/v2.0/security-groups', { security_group: { name: 'fuzz' } })).security_group;
  const rule = (
    await call('POST', '/network/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: group.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 },
    })
  ).security_group_rule;
  const floating = (await call('POST', '/network/v2.0/floatingips', { floatingip: { floating_network_id: publicNet.id } })).floatingip;

  const flavor = (await call('GET', '/compute/v2.1/flavors')).flavors[0];
  const image = (await call('GET', '/image/v2/images?name=nimbus-blank-qcow2')).images[0];
  const server = (
    await call('POST', '/compute/v2.1/servers', {
      server: { name: 'fuzz', flavorRef: flavor.id, imageRef: image.id, networks: [{ uuid: network.id }] },
    })
  ).server;
  await call('POST', '/compute/v2.1/os-keypairs', { keypair: { name: 'fuzz' } });
  const ownImage = await call('POST', '/image/v2/images', { name: 'fuzz', disk_format: 'raw', container_format: 'bare' });
  const volume = (await call('POST', `/volume/v3/${projectId}/volumes`, { volume: { size: 1, name: 'fuzz' } })).volume;
  await waitFor(async () => (await call('GET', `/volume/v3/${projectId}/volumes/${volume.id}`)).volume.status === 'available');
  const snapshot = (await call('POST', `/volume/v3/${projectId}/snapshots`, { snapshot: { volume_id: volume.id, name: 'fuzz' } })).snapshot;
  const identityService = (await cloud.request('GET', '/identity/v3/services?type=identity', { token: admin })).body.services[0];

  const account = `/object-store/v1/AUTH_${projectId}`;
  await cloud.request('PUT', `${account}/fuzz`, { token });
  await cloud.request('PUT', `${account}/fuzz/object`, { token, rawBody: 'fuzz', headers: { 'content-type': 'text/plain' } });

  const byName = {
    flavor: flavor.id,
    image: image.id,
    network: network.id,
    subnet: network.subnets[0],
    port: port.id,
    group: group.id,
    server: server.id,
    volume: volume.id,
    snapshot: snapshot.id,
    project: projectId,
    user: tokenInfo.body.token.user.id,
    public: publicNet.id,
    publicSubnet: publicNet.subnets[0],
    service: identityService.id,
    uuid: randomUUID(),
    demoPassword: cloud.demoPassword,
  };
  return {
    projectId,
    byName,
    container: 'fuzz',
    object: 'object',
    byCollection: {
      networks: network.id,
      subnets: network.subnets[0],
      ports: port.id,
      routers: router.id,
      'security-groups': group.id,
      'security-group-rules': rule.id,
      floatingips: floating.id,
      servers: server.id,
      flavors: flavor.id,
      images: ownImage.id,
      'os-keypairs': 'fuzz',
      volumes: volume.id,
      projects: domainProject.body.project.id,
      users: targetUser.body.user.id,
      'os-quota-sets': projectId,
      quotas: projectId,
      resource_providers: randomUUID(),
    },
  };
}

async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('fixture never became ready');
}

/** A path segment as a URL carries it, even where encodeURIComponent refuses (lone surrogates). */
export function encodeSegment(raw: string): string {
  try {
    return encodeURIComponent(raw);
  } catch {
    return Buffer.from(raw, 'utf8').toString('hex').replace(/(..)/g, '%$1');
  }
}

/** A value for one route parameter: the real resource most of the time, a hostile name otherwise. */
export function paramValue(fixtures: Fixtures, previousSegment: string, name: string): fc.Arbitrary<string> {
  const real = name === 'project_id' ? fixtures.projectId : fixtures.byCollection[previousSegment];
  const hostile = fc.oneof(
    fc.uuid().map((id) => id),
    fc.constantFrom(...EDGE_STRINGS).map(encodeSegment),
    fc.constant('%ff%fe'),
    fc.constant('x'.repeat(300)),
  );
  return real === undefined ? hostile : fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: hostile });
}
