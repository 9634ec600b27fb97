/**
 * The orchestration API through Debian's `openstack stack ...` commands
 * (python3-heatclient), as a user drives them: create --wait, list, show,
 * outputs, resources, events, template validate, snapshot, update, delete.
 * Skips (saying why) where the CLI or its Heat plugin is not installed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../support/json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, stackCommandsSkipReason } from './openstack.js';

const skip = stackCommandsSkipReason();

const TEMPLATE = `heat_template_version: 2018-08-31
description: CLI test stack
parameters:
  length:
    type: number
    default: 12
resources:
  secret:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
  echo:
    type: OS::Heat::Value
    properties:
      value: {get_attr: [secret, value]}
  test:
    type: OS::Heat::TestResource
    properties:
      value: {get_resource: echo}
outputs:
  secret:
    description: the random string
    value: {get_attr: [secret, value]}
  test_output:
    value: {get_attr: [test, output]}
`;

describe('openstack CLI: stack', { skip }, () => {
  let cloud: TestServer;
  let dir: string;
  const cli = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const json = <T = Json>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  type Row = Json;
  /** `stack create/update --wait` prints the stack's events before the JSON, as the real CLI does. */
  const waited = async (args: string[]): Promise<Row> => {
    const result = await cli([...args, '--wait', '-f', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const start = result.stdout.indexOf('\n{');
    return JSON.parse(start >= 0 ? result.stdout.slice(start + 1) : result.stdout) as Row;
  };

  before(async () => {
    cloud = await startTestServer();
    dir = cloud.dataDir;
    writeFileSync(join(dir, 'stack.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'stack-update.yaml'), TEMPLATE.replace('default: 12', 'default: 20'));
  });
  after(() => cloud.close());

  test('create --wait, list, show, outputs, resources, events, validate, snapshot, update, delete --wait', { timeout: 300_000 }, async () => {
    const created = await waited(['stack', 'create', '-t', join(dir, 'stack.yaml'), 's1']);
    assert.equal(created['stack_status'], 'CREATE_COMPLETE');

    const listed = await json<Row[]>(['stack', 'list']);
    assert.deepEqual(
      listed.map((row) => [row['Stack Name'], row['Stack Status']]),
      [['s1', 'CREATE_COMPLETE']],
    );

    const shown = await json<Row>(['stack', 'show', 's1']);
    assert.equal(shown['description'], 'CLI test stack');

    const outputs = await json<Row>(['stack', 'output', 'show', '--all', 's1']);
    const secret = JSON.parse(String(outputs['secret'])) as { output_value: string };
    assert.equal(secret.output_value.length, 12);

    const resources = await json<Row[]>(['stack', 'resource', 'list', '-n', '5', 's1']);
    assert.deepEqual(resources.map((row) => row['resource_name']).sort(), ['echo', 'secret', 'test']);
    assert.ok(resources.every((row) => row['resource_status'] === 'CREATE_COMPLETE'));

    const events = await json<Row[]>(['stack', 'event', 'list', 's1']);
    assert.ok(events.some((row) => row['resource_name'] === 'secret' && row['resource_status'] === 'CREATE_COMPLETE'));

    const validated = await json<Row>(['orchestration', 'template', 'validate', '-t', join(dir, 'stack.yaml')]);
    assert.equal(validated['Description'], 'CLI test stack');

    const snapshot = await json<Row>(['stack', 'snapshot', 'create', '--name', 'snap1', 's1']);
    assert.equal(snapshot['name'], 'snap1');

    const updated = await waited(['stack', 'update', '-t', join(dir, 'stack-update.yaml'), 's1']);
    assert.equal(updated['stack_status'], 'UPDATE_COMPLETE');
    const after = await json<Row>(['stack', 'output', 'show', 's1', 'secret']);
    assert.equal(String(after['output_value']).length, 20);

    const deleted = await cli(['stack', 'delete', '--yes', '--wait', 's1']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await json<Row[]>(['stack', 'list']), []);
  });
});
