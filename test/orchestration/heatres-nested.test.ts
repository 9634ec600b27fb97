import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoScalingGroup } from '../../src/orchestration/resources/heat/autoscaling-group.js';
import { memberDefinition, resourceGroup } from '../../src/orchestration/resources/heat/resource-group.js';
import { newCapacity } from '../../src/orchestration/resources/heat/scaling.js';
import { scalingPolicy } from '../../src/orchestration/resources/heat/scaling-policy.js';
import { softwareDeployments } from '../../src/orchestration/resources/heat/software-deployment-group.js';
import { stackResource } from '../../src/orchestration/resources/heat/stack.js';
import { templateResourceType } from '../../src/orchestration/resources/heat/template-resource.js';
import { parseTemplate } from '../../src/orchestration/template/index.js';
import type { Json, JsonObject } from '../../src/orchestration/json.js';
import { fakeContext, siblingOf, STACK } from './support/heatres-context.js';

const resources = (template: JsonObject) => template.resources as JsonObject;

describe('OS::Heat::ResourceGroup', () => {
  const props = (count: number, extra: JsonObject = {}): JsonObject => ({
    count,
    index_var: '%index%',
    resource_def: { type: 'OS::Heat::RandomString', properties: { salt: 'member-%index%', length: null } },
    removal_policies: [],
    removal_policies_mode: 'append',
    ...extra,
  });

  it('nests count members named 0..n-1 with %index% replaced and a refs_map output; its id is the nested stack', async () => {
    const { ctx, nested, resource } = fakeContext({ name: 'group' });
    await resourceGroup.create(ctx, props(2));
    const template = nested.requests[0]?.template ?? {};
    assert.equal(template.heat_template_version, '2015-04-30');
    assert.deepEqual(resources(template), {
      '0': { type: 'OS::Heat::RandomString', properties: { salt: 'member-0' } },
      '1': { type: 'OS::Heat::RandomString', properties: { salt: 'member-1' } },
    });
    assert.deepEqual(template.outputs, { refs_map: { value: { '0': { get_resource: '0' }, '1': { get_resource: '1' } } } });
    assert.equal(resource.physicalId, nested.stackId);
  });

  it('answers refs, refs_map, member attributes and resource.<n>[.attr]', async () => {
    const { ctx } = fakeContext({ name: 'group' });
    await resourceGroup.create(ctx, props(2));
    assert.deepEqual(await resourceGroup.resolveAttribute(ctx, 'refs'), ['ref-0', 'ref-1']);
    assert.deepEqual(await resourceGroup.resolveAttribute(ctx, 'refs_map'), { '0': 'ref-0', '1': 'ref-1' });
    assert.deepEqual(await resourceGroup.resolveAttribute(ctx, 'value'), ['value-of-0', 'value-of-1']);
    assert.deepEqual(await resourceGroup.resolveAttributePath!(ctx, 'attributes', ['value']), { '0': 'value-of-0', '1': 'value-of-1' });
    assert.equal(await resourceGroup.resolveAttribute(ctx, 'resource.1'), 'ref-1');
    assert.equal(await resourceGroup.resolveAttribute(ctx, 'resource.1.value'), 'value-of-1');
    assert.equal(await resourceGroup.resolveAttributePath!(ctx, 'refs', [0]), 'ref-0');
    await assert.rejects(resourceGroup.resolveAttribute(ctx, 'resource.7'), { message: "Member '7' not found in group resource 'group'." });
    await assert.rejects(resourceGroup.resolveAttribute(ctx, 'attributes'), { type: 'InvalidTemplateAttribute' });
  });

  it('never reuses names removed by removal_policies, given by name or by reference', async () => {
    const { ctx, nested } = fakeContext({ name: 'group' });
    await resourceGroup.create(ctx, props(3));
    const update = (extra: JsonObject) => resourceGroup.update!(ctx, { properties: props(3, extra), previous: props(3), changed: ['removal_policies'] });
    await update({ removal_policies: [{ resource_list: ['1'] }] });
    assert.deepEqual(Object.keys(resources(nested.requests.at(-1)?.template ?? {})), ['0', '2', '3']);
    await update({ removal_policies: [{ resource_list: ['ref-3'] }] });
    assert.deepEqual(Object.keys(resources(nested.requests.at(-1)?.template ?? {})), ['0', '2', '4']);
    assert.deepEqual(await resourceGroup.resolveAttribute(ctx, 'removed_rsrc_list'), ['1', '3']);
    await update({ removal_policies: [], removal_policies_mode: 'update' });
    assert.deepEqual(Object.keys(resources(nested.requests.at(-1)?.template ?? {})), ['0', '1', '2']);
  });

  it('shows the nested template it would make, for preview', () => {
    const request = resourceGroup.nestedTemplate?.(props(2));
    assert.deepEqual(Object.keys(resources(request?.template ?? {})), ['0', '1']);
    assert.deepEqual(request?.parameters, {});
  });

  it('replaces the index variable deep inside properties', () => {
    assert.deepEqual(memberDefinition({ type: 'T', properties: { a: ['x-$i', { b: '$i$i' }] }, metadata: { m: 1 } }, '$i', '4'), {
      type: 'T',
      properties: { a: ['x-4', { b: '44' }] },
      metadata: { m: 1 },
    });
  });

  it('records the nested stack id even when the nested stack fails', async () => {
    const { ctx, nested, resource } = fakeContext({ name: 'group' });
    nested.stackId = 'nested-1';
    nested.failWith = new Error('Resource CREATE failed: boom');
    await assert.rejects(resourceGroup.create(ctx, props(1)), { message: 'Resource CREATE failed: boom' });
    assert.equal(resource.physicalId, 'nested-1');
  });
});

describe('OS::Heat::SoftwareDeployments', () => {
  it('nests one deployment per server entry and maps the members stdouts', async () => {
    const { ctx, nested } = fakeContext({ name: 'deps' });
    await softwareDeployments.create(ctx, {
      servers: { '0': 'srv-a', web: 'srv-b' },
      config: 'cfg',
      actions: ['CREATE', 'UPDATE'],
      signal_transport: 'CFN_SIGNAL',
      name: null,
    });
    assert.deepEqual(resources(nested.requests[0]?.template ?? {}), {
      '0': {
        type: 'OS::Heat::SoftwareDeployment',
        properties: { config: 'cfg', actions: ['CREATE', 'UPDATE'], signal_transport: 'CFN_SIGNAL', server: 'srv-a' },
      },
      web: {
        type: 'OS::Heat::SoftwareDeployment',
        properties: { config: 'cfg', actions: ['CREATE', 'UPDATE'], signal_transport: 'CFN_SIGNAL', server: 'srv-b' },
      },
    });
    assert.deepEqual(await softwareDeployments.resolveAttribute(ctx, 'deploy_stdouts'), { '0': 'deploy_stdout-of-0', web: 'deploy_stdout-of-web' });
    assert.equal(softwareDeployments.supportStatus?.status, 'HIDDEN');
  });
});

describe('OS::Heat::AutoScalingGroup and OS::Heat::ScalingPolicy', () => {
  const groupProps: JsonObject = { resource: { type: 'OS::Heat::RandomString' }, min_size: 1, max_size: 3, desired_capacity: 2, cooldown: 0 };

  it('computes capacities as Heat does', () => {
    const adjust = (current: number, adjustment: number, adjustmentType: string, step: number | null = null) =>
      newCapacity(current, { adjustment, adjustmentType, minAdjustmentStep: step }, 0, 10);
    assert.equal(adjust(2, 1, 'change_in_capacity'), 3);
    assert.equal(adjust(2, 20, 'change_in_capacity'), 10);
    assert.equal(adjust(5, 1, 'exact_capacity'), 1);
    assert.equal(adjust(4, 10, 'percent_change_in_capacity'), 5);
    assert.equal(adjust(4, -10, 'percent_change_in_capacity'), 3);
    assert.equal(adjust(8, 30, 'percent_change_in_capacity'), 10);
    assert.equal(adjust(4, 10, 'percent_change_in_capacity', 3), 7);
  });

  it('creates desired_capacity members and refuses bounds that contradict', async () => {
    const { ctx, nested } = fakeContext({ name: 'asg' });
    await autoScalingGroup.create(ctx, groupProps);
    assert.equal(Object.keys(resources(nested.requests[0]?.template ?? {})).length, 2);
    assert.equal(await autoScalingGroup.resolveAttribute(ctx, 'current_size'), 2);
    const validation = { caller: ctx.caller, services: ctx.services, stack: ctx.stack };
    await assert.rejects(autoScalingGroup.validate!({ ...groupProps, min_size: 4 }, validation), { message: 'MinSize can not be greater than MaxSize' });
    await assert.rejects(autoScalingGroup.validate!({ ...groupProps, desired_capacity: 9 }, validation), {
      message: 'DesiredCapacity must be between MinSize and MaxSize',
    });
  });

  it('grows on a policy signal, drops the oldest member when shrinking, and respects the cooldown', async () => {
    const group = fakeContext({ name: 'asg' });
    await autoScalingGroup.create(group.ctx, groupProps);
    const first = Object.keys(resources(group.nested.requests[0]?.template ?? {}));
    const invoke = async (name: string, method: string, args: Json) => (name === 'asg' ? autoScalingGroup.invoke!(group.ctx, method, args) : null);
    const policy = fakeContext({ name: 'up', siblings: new Map([['asg', siblingOf(group, 'OS::Heat::AutoScalingGroup')]]), invoke });
    await scalingPolicy.create(policy.ctx, { auto_scaling_group_id: 'asg', scaling_adjustment: 1, adjustment_type: 'change_in_capacity', cooldown: 60 });
    await scalingPolicy.signal!(policy.ctx, null);
    assert.equal(await autoScalingGroup.resolveAttribute(group.ctx, 'current_size'), 3);
    assert.deepEqual(await autoScalingGroup.invoke!(group.ctx, 'adjust', { adjustment: -1, adjustment_type: 'change_in_capacity' }), {
      adjusted: false,
      reason: 'due to cooldown, cooldown',
    });
    group.resource.data.cooldown_end = '0';
    await autoScalingGroup.invoke!(group.ctx, 'adjust', { adjustment: 1, adjustment_type: 'exact_capacity' });
    const last = Object.keys(resources(group.nested.requests.at(-1)?.template ?? {}));
    assert.equal(last.length, 1);
    assert.ok(!first.slice(0, 1).includes(last[0] ?? ''));
    await scalingPolicy.signal!(policy.ctx, { current: 'ok' });
    assert.equal(await autoScalingGroup.resolveAttribute(group.ctx, 'current_size'), 1);
  });

  it('gives its policy URLs and refuses min_adjustment_step without percent', async () => {
    const { ctx } = fakeContext({ name: 'up' });
    await scalingPolicy.create(ctx, { auto_scaling_group_id: 'x', scaling_adjustment: 1, adjustment_type: 'change_in_capacity' });
    assert.match(String(await scalingPolicy.resolveAttribute(ctx, 'signal_url')), /\/resources\/up\/signal$/);
    assert.match(String(await scalingPolicy.resolveAttribute(ctx, 'alarm_url')), /cloudformation/);
    await assert.rejects(
      scalingPolicy.validate!({ adjustment_type: 'exact_capacity', min_adjustment_step: 1 }, { caller: ctx.caller, services: ctx.services, stack: ctx.stack }),
      { message: 'min_adjustment_step property should only be specified for adjustment_type with value percent_change_in_capacity.' },
    );
  });
});

describe('OS::Heat::Stack', () => {
  it('creates the inline template as its own stack and answers its outputs', async () => {
    const { ctx, nested, resource } = fakeContext({ name: 'inner' });
    nested.outputValues = { out: 'v' };
    await stackResource.create(ctx, {
      template: 'heat_template_version: 2016-10-14\nresources: {}\noutputs: {out: {value: v}}\n',
      parameters: { a: 1 },
      timeout: 5,
    });
    assert.deepEqual(nested.requests[0]?.parameters, { a: 1 });
    assert.equal(nested.requests[0]?.timeoutMins, 5);
    assert.equal(resource.physicalId, nested.stackId);
    assert.deepEqual(await stackResource.resolveAttribute(ctx, 'outputs'), { out: 'v' });
    assert.equal(await stackResource.resolveAttribute(ctx, 'stack_name'), resource.physicalName);
  });

  it('refuses a remote cloud and a bad template', async () => {
    const { ctx } = fakeContext();
    const validation = { caller: ctx.caller, services: ctx.services, stack: ctx.stack };
    await assert.rejects(stackResource.validate!({ template: 'heat_template_version: 2016-10-14\n', context: { credential_secret_id: 's' } }, validation), {
      type: 'StackValidationFailed',
    });
    await assert.rejects(stackResource.validate!({ template: 'not: [a, template' }, validation));
  });
});

describe('template resources', () => {
  const template = parseTemplate(`
heat_template_version: 2016-10-14
description: A wrapped string
parameters:
  length:
    type: number
    default: 8
    description: how long
  tag:
    type: string
resources:
  secret:
    type: OS::Heat::RandomString
outputs:
  value:
    description: the string
    value: {get_attr: [secret, value]}
`);

  it('takes the parameters as properties and the outputs as attributes', () => {
    const plugin = templateResourceType('My::Secret', template);
    assert.equal(plugin.description, 'A wrapped string');
    assert.deepEqual(plugin.properties.length, {
      type: 'number',
      required: false,
      updateAllowed: true,
      immutable: false,
      constraints: [],
      description: 'how long',
      default: 8,
    });
    assert.equal(plugin.properties.tag?.required, true);
    assert.deepEqual(plugin.attributes, { value: { description: 'the string' } });
  });

  it('creates the nested stack and answers the ARN as reference, outputs as attributes', async () => {
    const plugin = templateResourceType('My::Secret', template);
    const { ctx, nested, resource } = fakeContext({ name: 'wrapped' });
    nested.outputValues = { value: 'xyz' };
    await plugin.create(ctx, { length: 8, tag: 't' });
    assert.deepEqual(nested.requests[0]?.parameters, { length: 8, tag: 't' });
    assert.equal(plugin.referenceId?.(resource), `arn:openstack:heat::${STACK.projectId}:stacks/${resource.physicalName}/${nested.stackId ?? ''}`);
    assert.equal(await plugin.resolveAttribute(ctx, 'value'), 'value-of-secret');
    assert.equal(await plugin.resolveAttribute(ctx, 'resource.secret'), 'ref-secret');
    await assert.rejects(plugin.resolveAttribute(ctx, 'nope'), { type: 'InvalidTemplateAttribute' });
  });

  it('words a nested output that fails as Heat does, so the parent output shows it', async () => {
    const failing = parseTemplate({ heat_template_version: '2015-10-15', resources: {}, outputs: { out_b: { value: { get_param: 'foo' } } } });
    const plugin = templateResourceType('1.yaml', failing);
    const { ctx, nested } = fakeContext({ name: 'parent' });
    await plugin.create(ctx, {});
    nested.evaluator = () => {
      throw new Error('The Parameter (foo) was not provided.');
    };
    await assert.rejects(plugin.resolveAttribute(ctx, 'out_b'), {
      message: 'Error in parent output out_b: The Parameter (foo) was not provided.',
      type: 'TemplateOutputError',
    });
  });

  it('previews as its template with the properties as parameters', () => {
    const plugin = templateResourceType('My::Secret', template);
    assert.deepEqual(plugin.nestedTemplate?.({ length: 3, tag: null }), { template: template.raw, parameters: { length: 3 } });
  });

  it('answers the OS::stack_id output as reference when the template has one', async () => {
    const withId = parseTemplate({ heat_template_version: '2016-10-14', resources: {}, outputs: { 'OS::stack_id': { value: 'custom-id' } } });
    const plugin = templateResourceType('My::Id', withId);
    const { ctx, nested, resource } = fakeContext({ name: 'r' });
    nested.outputValues = { 'OS::stack_id': 'custom-id' };
    await plugin.create(ctx, {});
    assert.equal(plugin.referenceId?.(resource), 'custom-id');
  });
});
