import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';

const withFile = (text: string, body: (file: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-config-'));
  try {
    const file = join(dir, 'nimbus.yaml');
    writeFileSync(file, text);
    body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test("defaults are OpenStack's", () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.server.port, 5000);
  assert.equal(config.identity.token.expiration, 3600);
  assert.equal(config.identity.identity.password_hash_rounds, 12);
  assert.equal(config.identity.security_compliance.lockout_failure_attempts, 0);
});

test('file, then environment, then flags; later wins', () => {
  withFile('server: {port: 6000, host: 0.0.0.0}\nidentity:\n  security_compliance: {lockout_failure_attempts: 2}\n', (file) => {
    const config = loadConfig({ file, env: { NIMBUS_PORT: '7000' }, flags: { 'server.port': '8000' } });
    assert.equal(config.server.port, 8000);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.identity.security_compliance.lockout_failure_attempts, 2);
    assert.equal(loadConfig({ file, env: { NIMBUS_PORT: '7000' } }).server.port, 7000);
  });
});

test('unknown options and wrong types fail at start with the option named', () => {
  withFile('identity: {security_compliance: {lockout_attempts: 2}}\n', (file) => {
    assert.throws(() => loadConfig({ file, env: {} }), /identity\.security_compliance\.lockout_attempts/);
  });
  withFile('server: {port: many}\n', (file) => {
    assert.throws(() => loadConfig({ file, env: {} }), /server\.port must be a number/);
  });
  withFile('identity: {security_compliance: {change_password_upon_first_use: sometimes}}\n', (file) => {
    assert.throws(() => loadConfig({ file, env: {} }), /must be true or false/);
  });
  withFile('- a list\n', (file) => assert.throws(() => loadConfig({ file, env: {} }), /mapping/));
  assert.throws(() => loadConfig({ env: { NIMBUS_PORT: 'x' } }), /server\.port/);
});

test('the data dir becomes absolute', () => {
  const config = loadConfig({ env: {}, flags: { 'server.data_dir': 'relative/dir' } });
  assert.ok(config.server.data_dir.startsWith('/'));
});

test('lists come from YAML sequences or comma-separated env and flags', () => {
  withFile('network: {vni_ranges: ["1:100", "200:300"]}\n', (file) => {
    assert.deepEqual(loadConfig({ file, env: {} }).network.vni_ranges, ['1:100', '200:300']);
  });
  withFile('network: {vni_ranges: 5}\n', (file) => {
    assert.throws(() => loadConfig({ file, env: {} }), /network\.vni_ranges must be a list of strings/);
  });
  assert.deepEqual(loadConfig({ env: {}, flags: { 'network.flat_networks': 'physnet1,physnet2' } }).network.flat_networks, ['physnet1', 'physnet2']);
});

test('volume backends are sections the operator names, each starting from the backend defaults', () => {
  withFile('volume:\n  enabled_backends: [file, fast]\n  backends:\n    fast: {volume_backend_name: fast, volume_format: raw}\n', (file) => {
    const config = loadConfig({ file, env: {} });
    assert.deepEqual(config.volume.enabled_backends, ['file', 'fast']);
    assert.deepEqual(config.volume.backends.fast, { volume_driver: 'file', volume_backend_name: 'fast', volume_format: 'raw', total_capacity_gb: null });
    assert.equal(config.volume.backends.file?.volume_format, 'qcow2');
  });
  withFile('volume:\n  backends:\n    fast: {volume_drivr: file}\n', (file) => {
    assert.throws(() => loadConfig({ file, env: {} }), /volume\.backends\.fast\.volume_drivr/);
  });
});

test('the driver profile sets the driver defaults; explicit driver options still win', () => {
  const fake = loadConfig({ env: {} });
  assert.equal(fake.server.drivers, 'fake');
  assert.equal(fake.compute.compute_driver, 'fake');
  assert.equal(fake.network.driver, 'noop');
  const real = loadConfig({ env: {}, flags: { 'server.drivers': 'real' } });
  assert.equal(real.compute.compute_driver, 'qemu');
  assert.equal(real.network.driver, 'linuxbridge');
  withFile('server: {drivers: real}\nnetwork: {driver: noop}\n', (file) => {
    const config = loadConfig({ file, env: {} });
    assert.equal(config.compute.compute_driver, 'qemu');
    assert.equal(config.network.driver, 'noop');
    assert.equal(loadConfig({ file, env: { NIMBUS_DRIVERS: 'fake' } }).compute.compute_driver, 'fake');
  });
  assert.throws(() => loadConfig({ env: {}, flags: { 'server.drivers': 'libvirt' } }), /server\.drivers must be one of fake, real/);
});
