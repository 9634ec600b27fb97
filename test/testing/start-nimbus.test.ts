import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startNimbus, type NimbusCloud } from '../../src/testing/index.js';

async function projectsVisibleTo(cloud: NimbusCloud, user: 'admin' | 'demo'): Promise<string[]> {
  const token = await cloud.token(user);
  const response = await fetch(`${cloud.identityUrl}/auth/projects`, { headers: { 'x-auth-token': token } });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { projects: { name: string }[] };
  return body.projects.map((project) => project.name);
}

test('two clouds at once on different ports, each with its own users, state, clouds.yaml and OS_* variables; stop() removes each data dir', async () => {
  const [first, second] = await Promise.all([startNimbus({ logLevel: 'silent' }), startNimbus({ logLevel: 'silent' })]);
  try {
    assert.notEqual(new URL(first.url).port, new URL(second.url).port);
    assert.notEqual(first.dataDir, second.dataDir);
    assert.notEqual(first.admin.password, second.admin.password);
    for (const cloud of [first, second]) {
      assert.equal(cloud.identityUrl, `${cloud.url}/identity/v3`);
      assert.equal(await (await fetch(`${cloud.url}/healthcheck`)).text(), 'OK');
      assert.deepEqual(await projectsVisibleTo(cloud, 'demo'), ['demo']);
      assert.ok((await projectsVisibleTo(cloud, 'admin')).includes('admin'));
      const clouds = parseYaml(readFileSync(cloud.cloudsYaml, 'utf8')) as { clouds: Record<string, { auth: Record<string, string> }> };
      assert.equal(clouds.clouds[cloud.cloudName]?.auth.auth_url, cloud.identityUrl);
      assert.equal(clouds.clouds[cloud.cloudName]?.auth.password, cloud.admin.password);
      assert.equal(clouds.clouds['nimbus-demo']?.auth.password, cloud.demo.password);
    }
    // One cloud's token means nothing to the other: each has its own Fernet keys.
    const foreign = await fetch(`${second.identityUrl}/auth/projects`, { headers: { 'x-auth-token': await first.token('demo') } });
    assert.equal(foreign.status, 401);

    const env = first.env('demo');
    assert.deepEqual(
      { ...env, OS_PASSWORD: '' },
      {
        OS_AUTH_TYPE: 'password',
        OS_AUTH_URL: first.identityUrl,
        OS_IDENTITY_API_VERSION: '3',
        OS_USERNAME: 'demo',
        OS_PASSWORD: '',
        OS_PROJECT_NAME: 'demo',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_NAME: 'Default',
        OS_REGION_NAME: 'RegionOne',
        OS_INTERFACE: 'public',
      },
    );
    assert.equal(env.OS_PASSWORD, first.demo.password);
    assert.equal(first.env().OS_USERNAME, 'admin');

    // A cloud that cannot start rejects with the reason.
    await assert.rejects(startNimbus({ port: Number(new URL(first.url).port), logLevel: 'silent' }), /EADDRINUSE/);
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
  assert.equal(existsSync(first.dataDir), false);
  assert.equal(existsSync(second.dataDir), false);
  await assert.rejects(fetch(`${first.url}/healthcheck`));
  await first.stop(); // a second stop() is harmless
});

test('dataDir keeps the state: kept after stop(), and the next start over it finds the same users and resources', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-kept-'));
  try {
    const first = await startNimbus({ dataDir, logLevel: 'silent', fakeHosts: 0 });
    const created = await fetch(`${first.url}/network/v2.0/networks`, {
      method: 'POST',
      headers: { 'x-auth-token': await first.token('demo'), 'content-type': 'application/json' },
      body: JSON.stringify({ network: { name: 'kept' } }),
    });
    assert.equal(created.status, 201);
    await first.stop();
    assert.ok(existsSync(join(dataDir, 'clouds.yaml')));

    const second = await startNimbus({ dataDir, logLevel: 'silent', fakeHosts: 0 });
    try {
      assert.equal(second.dataDir, dataDir);
      assert.equal(second.demo.password, first.demo.password);
      const listed = await fetch(`${second.url}/network/v2.0/networks?name=kept`, { headers: { 'x-auth-token': await second.token('demo') } });
      assert.equal(((await listed.json()) as { networks: unknown[] }).networks.length, 1);
    } finally {
      await second.stop();
    }
    assert.ok(existsSync(dataDir), 'a data dir the caller gave is the caller’s to remove');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a seed option: the cloud is handed over with the seed applied', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-seed-option-'));
  const seed = join(dir, 'seed.yaml');
  writeFileSync(
    seed,
    'networks:\n  - { name: seeded-net, project: demo }\nsubnets:\n  - { name: seeded-subnet, network: seeded-net, project: demo, cidr: 10.9.0.0/24 }\n',
  );
  const cloud = await startNimbus({ seed, logLevel: 'silent', fakeHosts: 0 });
  try {
    const listed = await fetch(`${cloud.url}/network/v2.0/subnets?name=seeded-subnet`, { headers: { 'x-auth-token': await cloud.token('demo') } });
    const subnets = ((await listed.json()) as { subnets: { cidr: string }[] }).subnets;
    assert.deepEqual(
      subnets.map((subnet) => subnet.cidr),
      ['10.9.0.0/24'],
    );
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(startNimbus({ seed: join(dir, 'absent.yaml'), logLevel: 'silent', fakeHosts: 0 }), /absent\.yaml/);
});
