/**
 * The metering extension's API: labels and rules, admin only, with Neutron's
 * metering plugin checks (prefix forms, overlaps) and errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

describe('network: metering labels and rules', () => {
  const cloud = useCloud();
  const labels = '/v2.0/metering/metering-labels';
  const rules = '/v2.0/metering/metering-label-rules';

  test('admins make, show, filter and delete labels and rules', async () => {
    const made = await cloud.call('POST', labels, { metering_label: { name: 'web', description: 'web traffic' } }, cloud.admin);
    assert.equal(made.status, 201, made.text);
    const label = made.body.metering_label as Body;
    assert.deepEqual(Object.keys(label).sort(), ['description', 'id', 'name', 'project_id', 'shared', 'tenant_id']);
    assert.equal(label.shared, false);
    assert.deepEqual((await cloud.call('GET', `${labels}/${label.id}`, undefined, cloud.admin)).body.metering_label, label);
    assert.equal((await cloud.call('GET', `${labels}?id=${label.id}`, undefined, cloud.admin)).body.metering_labels.length, 1);
    assert.deepEqual((await cloud.call('GET', `${labels}?id=33`, undefined, cloud.admin)).body.metering_labels, []);

    const rule = await cloud.call(
      'POST',
      rules,
      { metering_label_rule: { metering_label_id: label.id, remote_ip_prefix: '10.0.0.0/24', direction: 'ingress' } },
      cloud.admin,
    );
    assert.equal(rule.status, 201, rule.text);
    assert.deepEqual(rule.body.metering_label_rule, {
      id: rule.body.metering_label_rule.id,
      metering_label_id: label.id,
      direction: 'ingress',
      excluded: false,
      remote_ip_prefix: '10.0.0.0/24',
      source_ip_prefix: null,
      destination_ip_prefix: null,
    });
    const v6 = await cloud.call(
      'POST',
      rules,
      { metering_label_rule: { metering_label_id: label.id, source_ip_prefix: 'fd02::/64', direction: 'egress' } },
      cloud.admin,
    );
    assert.equal(v6.status, 201, v6.text);
    assert.equal((await cloud.call('GET', `${rules}?metering_label_id=${label.id}`, undefined, cloud.admin)).body.metering_label_rules.length, 2);

    assert.equal((await cloud.call('DELETE', `${labels}/${label.id}`, undefined, cloud.admin)).status, 204);
    expectError(await cloud.call('GET', `${rules}/${rule.body.metering_label_rule.id}`, undefined, cloud.admin), 404, 'MeteringLabelRuleNotFound');
    expectError(await cloud.call('DELETE', `${labels}/${label.id}`, undefined, cloud.admin), 404, 'MeteringLabelNotFound');
  });

  test("rules are checked as Neutron's metering plugin checks them", async () => {
    const label = (await cloud.call('POST', labels, { metering_label: { name: 'checked' } }, cloud.admin)).body.metering_label.id as string;
    const create = (rule: Body) => cloud.call('POST', rules, { metering_label_rule: { metering_label_id: label, ...rule } }, cloud.admin);
    assert.equal((await create({ remote_ip_prefix: '10.1.0.0/16' })).status, 201);
    expectError(await create({ remote_ip_prefix: '10.1.2.0/24' }), 409, 'MeteringLabelRuleOverlaps');
    assert.equal((await create({ remote_ip_prefix: '10.1.2.0/24', excluded: true })).status, 201, 'an excluded rule may overlap a counted one');
    expectError(await create({ remote_ip_prefix: '10.2.0.0/24', source_ip_prefix: '10.3.0.0/24' }), 400, 'Invalid');
    expectError(await create({ direction: 'ingress' }), 400, 'Invalid');
    expectError(await create({ remote_ip_prefix: 'not-a-prefix' }), 400, 'Invalid');
    expectError(await create({ remote_ip_prefix: '10.4.0.0/24', direction: 'sideways' }), 400, 'HTTPBadRequest');
    expectError(
      await cloud.call('POST', rules, { metering_label_rule: { metering_label_id: 'no-such-label', remote_ip_prefix: '10.5.0.0/24' } }, cloud.admin),
      404,
      'MeteringLabelNotFound',
    );
  });

  test('others see no labels and may not make any', async () => {
    const label = (await cloud.call('POST', labels, { metering_label: { name: 'hidden' } }, cloud.admin)).body.metering_label.id as string;
    assert.deepEqual((await cloud.call('GET', labels)).body, { metering_labels: [] });
    assert.deepEqual((await cloud.call('GET', rules)).body, { metering_label_rules: [] });
    expectError(await cloud.call('GET', `${labels}/${label}`), 404, 'MeteringLabelNotFound');
    expectError(await cloud.call('POST', labels, { metering_label: { name: 'mine' } }), 403, 'PolicyNotAuthorized');
    expectError(await cloud.call('DELETE', `${labels}/${label}`), 404, 'MeteringLabelNotFound');
    const aliases = ((await cloud.call('GET', '/v2.0/extensions')).body.extensions as Body[]).map((e) => e.alias);
    assert.ok(aliases.includes('metering'));
  });
});
