/**
 * docs/testing.md's node:test example, run as written: a project whose
 * node_modules/nimbus is this repository imports `nimbus/testing` through
 * package.json's "exports" (the bundle, dist/testing.mjs) and runs the
 * example with `node --test`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { docExample, projectUsingNimbus } from './doc-examples.js';

test("docs/testing.md's node:test example passes, importing nimbus/testing as a package", async () => {
  const project = projectUsingNimbus();
  try {
    writeFileSync(join(project, 'cloud.test.mjs'), docExample('node-test'));
    // NODE_TEST_CONTEXT would make the inner runner report to this one instead of printing its results.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', 'cloud.test.mjs'], { cwd: project, env, timeout: 60_000 });
    assert.match(stdout, /^# pass 2$/m);
    assert.match(stdout, /^# fail 0$/m);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
