/**
 * Issue 14, item 5: Heat's adopt (`POST /stacks` with `adopt_stack_data`),
 * behind `enable_stack_adopt` (off by default, as in Heat). A stack is
 * abandoned and adopted again: the resources take over their physical ids,
 * data and metadata and nothing is made; a resource without an id fails the
 * adopt. Then the same through `openstack stack abandon` and `openstack stack
 * adopt`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { VolumeOperations } from '../../src/volume/operations.js';
import { openstack, stackCommandsSkipReason } from '../clients/openstack.js';
import type { Json } from '../support/json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';
import { svcresCloud } from './support/svcres-context.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  parameters: { length: { type: 'number', default: 10 } },
  resources: {
    secret: { type: 'OS::Heat::RandomString', properties: { length: { get_param: 'length' } } },
    disk: { type: 'OS::Cinder::Volume', properties: { size: 1 } },
  },
  outputs: { secret: { value: { get_attr: ['secret', 'value'] } } },
};

describe('heatx: stack adopt', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  const physicalIds = async (path: string) => {
    const resources = (await heat.call('GET', `${path}/resources`)).body.resources as Json[];
    return Object.fromEntries(resources.map((r) => [r.resource_name, r.physical_resource_id]));
  };
  const output = async (path: string) => (await heat.call('GET', `${path}/outputs/secret`)).body.output.output_value;

  before(async () => {
    cloud = await startTestServer((config) => {
      config.volume.backends.file!.volume_driver = 'fake';
      config.orchestration.enable_stack_abandon = true;
      config.orchestration.enable_stack_adopt = true;
    });
    heat = await heatApi(cloud, await cloud.demoToken());
  });
  after(() => cloud?.close());

  test('an abandoned stack is adopted: same physical ids and data, nothing made; deleting the adopted stack deletes them', async () => {
    const created = await heat.call('POST', '/stacks', { stack_name: 'to-abandon', template: TEMPLATE, parameters: { length: 14 } });
    const path = `/stacks/to-abandon/${created.body.stack.id}`;
    await heat.waitFor(path, 'CREATE_COMPLETE');
    const before = await physicalIds(path);
    const secret = await output(path);
    const abandoned = await heat.call('DELETE', `${path}/abandon`);
    assert.equal(abandoned.status, 200, abandoned.text);

    const volumes = (await svcresCloud(cloud)).services.volume as VolumeOperations;
    const demo = (await svcresCloud(cloud)).demo;
    const countVolumes = async () => (await volumes.listVolumes(demo)).length;
    const volumesBefore = await countVolumes();
    const adopted = await heat.call('POST', '/stacks', { stack_name: 'adopted', adopt_stack_data: JSON.stringify(abandoned.body) });
    assert.equal(adopted.status, 201, adopted.text);
    const adoptedPath = `/stacks/adopted/${adopted.body.stack.id}`;
    const stack = await heat.waitFor(adoptedPath, 'ADOPT_COMPLETE');
    assert.equal(stack.stack_status_reason, 'Stack ADOPT completed successfully');
    assert.deepEqual(await physicalIds(adoptedPath), before);
    assert.equal(await output(adoptedPath), secret, 'the random string comes from the adopted resource data');
    assert.equal((stack.parameters as Record<string, string>).length, '14', 'parameters from the adopt data');
    assert.equal(await countVolumes(), volumesBefore, 'nothing was made');
    const resource = (await heat.call('GET', `${adoptedPath}/resources/disk`)).body.resource;
    assert.equal(resource.resource_status, 'ADOPT_COMPLETE');

    assert.equal((await heat.call('DELETE', adoptedPath)).status, 204);
    await heat.waitFor(adoptedPath, 'DELETE_COMPLETE').catch(() => undefined);
    for (let i = 0; i < 100 && (await countVolumes()) >= volumesBefore; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await countVolumes(), volumesBefore - 1, 'the adopted volume is the stack’s: deleted with it');
  });

  test('a resource without a physical id fails the adopt', async () => {
    const data = { template: TEMPLATE, resources: { secret: { resource_id: 'kept', resource_data: { value: 'abc' } }, disk: {} } };
    const adopted = await heat.call('POST', '/stacks', { stack_name: 'half-adopted', adopt_stack_data: data });
    assert.equal(adopted.status, 201, adopted.text);
    const stack = await heat.waitFor(`/stacks/half-adopted/${adopted.body.stack.id}`, 'ADOPT_FAILED');
    assert.match(String(stack.stack_status_reason), /Resource ID was not provided/);
  });

  test('adopt is refused unless enable_stack_adopt', async () => {
    const off = await startTestServer();
    try {
      const api = await heatApi(off, await off.demoToken());
      const refused = await api.call('POST', '/stacks', { stack_name: 'nope', adopt_stack_data: { template: TEMPLATE, resources: {} } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.type, 'NotSupported');
      assert.equal(refused.body.error.message, 'Stack Adopt is not supported.');
    } finally {
      await off.close();
    }
  });

  test('openstack stack abandon, then openstack stack adopt --wait', { skip: stackCommandsSkipReason() }, async () => {
    const cli = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    const templateFile = join(cloud.dataDir, 'adopt-template.json');
    writeFileSync(templateFile, JSON.stringify(TEMPLATE));
    const created = await cli(['stack', 'create', '-t', templateFile, '--wait', 'cli-origin']);
    assert.equal(created.code, 0, created.stderr);
    const adoptFile = join(cloud.dataDir, 'adopt.json');
    const abandoned = await cli(['stack', 'abandon', '--output-file', adoptFile, 'cli-origin']);
    assert.equal(abandoned.code, 0, abandoned.stderr);
    const adopted = await cli(['stack', 'adopt', '--adopt-file', adoptFile, '--wait', 'cli-adopted']);
    assert.equal(adopted.code, 0, adopted.stderr);
    assert.match(adopted.stdout, /ADOPT_COMPLETE/);
  });
});
