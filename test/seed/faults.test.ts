/** The seed's `faults:` key: its rules are added to /_nimbus/faults once the rest is made; a bad rule stops the start at its line. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startTestServer } from '../support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'nimbus-seed-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function seedFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test("a seeded rule is listed and answers in the service's own error body; the seed's own network is made first", async () => {
  const seed = seedFile(
    'faults.yaml',
    'networks:\n  - { name: made-before-the-rule }\nfaults:\n  - { service: network, method: POST, path: /v2.0/networks, status: 503, message: seeded outage }\n',
  );
  const cloud = await startTestServer((config) => {
    config.server.seed = seed;
  });
  try {
    const admin = await cloud.adminToken();
    const rules = await cloud.request('GET', '/_nimbus/faults', { token: admin });
    assert.equal(rules.status, 200, rules.text);
    assert.deepEqual(
      rules.body.faults.map((rule: { service: string; status: number }) => [rule.service, rule.status]),
      [['network', 503]],
    );
    const listed = await cloud.request('GET', '/network/v2.0/networks?name=made-before-the-rule', { token: admin });
    assert.equal(listed.body.networks.length, 1);
    const refused = await cloud.request('POST', '/network/v2.0/networks', { token: admin, body: { network: { name: 'x' } } });
    assert.equal(refused.status, 503, refused.text);
    assert.match(refused.body.NeutronError.message, /seeded outage/);
  } finally {
    await cloud.close();
  }
});

test('a bad rule names its place in the seed, and the server does not start', async () => {
  const bad = seedFile('bad-fault.yaml', 'faults:\n  - { service: compute, status: 200 }\n');
  await assert.rejects(
    startTestServer((config) => {
      config.server.seed = bad;
    }),
    { message: /^bad-fault\.yaml:2:5: fault rule: .*status/ },
  );
});
