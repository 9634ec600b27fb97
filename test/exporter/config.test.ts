/** The `exporter:` section loads from the config file as README.md documents it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';

test('exporter options: loopback on and no token by default; a file sets the token and turns loopback trust off', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-exporter-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(loadConfig({ env: {} }).exporter, { enabled: true, allow_loopback: true, bearer_token: null });
  const file = join(dir, 'nimbus.yaml');
  writeFileSync(file, 'exporter:\n  allow_loopback: false\n  bearer_token: s3cret\n');
  assert.deepEqual(loadConfig({ file, env: {} }).exporter, { enabled: true, allow_loopback: false, bearer_token: 's3cret' });
  writeFileSync(file, 'exporter:\n  bearer_tokn: s3cret\n');
  assert.throws(() => loadConfig({ file, env: {} }), /Unknown config option exporter.bearer_tokn/);
});
