/** The engine with the real template room and Heat's types: template resources, nested hooks and validate's nested view, as heat_tempest_plugin checks them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngineHarness, until } from './support/engine-harness.js';

const randomTemplate = `
heat_template_version: 2014-10-16
description: the stack description
parameters:
  aparam:
    type: number
    default: 10
    description: the param description
resources:
  myres:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: aparam}
`;

const parentTemplate = `
heat_template_version: 2014-10-16
description: the parent template
parameters:
  pparam:
    type: number
    default: 5
    description: the param description
resources:
  nres:
    type: mynested.yaml
    properties:
      aparam: {get_param: pparam}
`;

test('validate with show_nested shows each template resource as Heat does', async (t) => {
  const h = await openEngineHarness(t, { real: true });
  const files = { 'mynested.yaml': randomTemplate.replace('OS::Heat::RandomString', 'mynested2.yaml'), 'mynested2.yaml': randomTemplate };
  const result = await h.service.validate(h.caller, { template: parentTemplate as never, files, showNested: true });
  const aparam = { Default: 10, Description: 'the param description', Label: 'aparam', NoEcho: 'false', Type: 'Number' };
  assert.deepEqual(result.nestedParameters, {
    nres: {
      Description: 'the stack description',
      Parameters: { aparam: { ...aparam, Value: 5 } },
      NestedParameters: { myres: { Description: 'the stack description', Parameters: { aparam }, Type: 'mynested2.yaml' } },
      Type: 'mynested.yaml',
    },
  });
  assert.deepEqual(result.environment, {
    event_sinks: [],
    parameter_defaults: {},
    parameters: {},
    resource_registry: { 'mynested.yaml': 'mynested.yaml', resources: {} },
  });
  const off = await h.service.validate(h.caller, { template: parentTemplate as never, files });
  assert.equal(off.nestedParameters, undefined);
});

test('a hook inside a template resource pauses the nested resource; the stack completes once it is cleared', async (t) => {
  const h = await openEngineHarness(t, { real: true });
  const nested = {
    heat_template_version: '2014-10-16',
    resources: { foo_step1: { type: 'OS::Heat::RandomString' }, foo_step2: { type: 'OS::Heat::RandomString', depends_on: 'foo_step1' } },
  };
  const s = await h.service.create(h.caller, {
    name: 'nestedhook',
    template: { heat_template_version: '2014-10-16', resources: { nested: { type: 'nested.yaml' } } },
    files: { 'nested.yaml': JSON.stringify(nested) },
    environment: { resource_registry: { resources: { nested: { foo_step2: { hooks: 'pre-create' } } } } },
  });
  const nestedId = await until(
    'the nested stack',
    async () => (await h.service.resources(h.caller, s.id, {})).find((r) => r.name === 'nested')?.nestedStackId ?? undefined,
  );
  const paused = await until('the pause', async () =>
    (await h.service.events(h.caller, nestedId, { resourceName: 'foo_step2' })).find(
      (e) => e.statusReason === 'CREATE paused until Hook pre-create is cleared',
    ),
  );
  assert.equal(`${paused.action}_${paused.status}`, 'INIT_COMPLETE');
  const owner = (await h.service.resources(h.caller, s.id, {})).find((r) => r.name === 'nested')!;
  assert.equal(owner.physicalId, nestedId, 'the nested stack id is the physical id while it is made');
  await h.service.signal(h.caller, nestedId, 'foo_step2', { unset_hook: 'pre-create' });
  const done = await h.settled(s.id);
  assert.equal(`${done.action}_${done.status}`, 'CREATE_COMPLETE', done.statusReason);
  const resource = (await h.service.resources(h.caller, s.id, {})).find((r) => r.name === 'nested')!;
  assert.equal(resource.physicalId, nestedId);
});

test('preview answers Heat shapes: id None, checked properties, template resources as nested lists, property errors with their path', async (t) => {
  const h = await openEngineHarness(t, { real: true });
  const template = `
heat_template_version: 2015-04-30
parameters:
  incomming:
    type: string
resources:
  one:
    type: OS::Heat::TestResource
    properties:
      value: fred
  two:
    type: nested.yaml
    properties:
      value: {get_param: incomming}
    depends_on: one
`;
  const nested = `
heat_template_version: 2015-04-30
parameters:
  value:
    type: string
resources:
  nested:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: value}
`;
  const request = { name: 'pre', template: template as never, files: { 'nested.yaml': nested }, environment: { parameters: { incomming: 'abc' } } };
  const preview = await h.service.preview(h.caller, request);
  assert.equal(preview.stack.id, 'None');
  assert.equal(preview.stack.parameters['OS::stack_id'], 'None');
  assert.equal(preview.stack.description, 'No description');
  const [one, two] = preview.resources as [Record<string, unknown>, Array<Record<string, unknown>>];
  assert.equal((one.properties as Record<string, unknown>).wait_secs, 0);
  assert.deepEqual(one.required_by, ['two']);
  assert.ok('output' in (one.attributes as object));
  assert.equal(one.creation_time, null);
  assert.equal(two[0]?.stack_name, 'pre-two');
  assert.equal(two[0]?.parent_resource, 'two');
  assert.equal((two[0]?.properties as Record<string, unknown>).value, 'abc');

  const broken = { ...request, template: template.replace('get_param: incomming', 'get_param: missing') as never };
  await assert.rejects(
    h.service.preview(h.caller, broken),
    /Property error: : resources\.two\.properties\.value: : The Parameter \(missing\) was not provided\./,
  );
  assert.deepEqual((await h.service.create(h.caller, { ...request, name: 'tagged', tags: ['foo', 'bar'] })).tags, ['foo', 'bar']);
});
