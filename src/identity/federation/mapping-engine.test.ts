import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../core/json.js';
import { applyMapping } from './mapping-engine.js';
import { validateMapping } from './mapping-schema.js';

const assertion = { UserName: 'bob', Email: 'bob@example.com', orgPersonType: 'Contractor;Guest', ADFS_GROUPS: 'g1;g2;g3' };

describe('federation mapping engine (Keystone RuleProcessor)', () => {
  it('maps remote values into the local user: {0} is the first requirement, type ephemeral by default', () => {
    const rules: JsonObject[] = [{ local: [{ user: { name: '{0}', email: '{1}' } }], remote: [{ type: 'UserName' }, { type: 'Email' }] }];
    assert.deepEqual(applyMapping(rules, assertion), {
      user: { name: 'bob', email: 'bob@example.com', type: 'ephemeral' },
      group_ids: [],
      group_names: [],
      projects: [],
    });
  });

  it('any_one_of and not_any_of only test; a rule whose test fails adds nothing', () => {
    const rules: JsonObject[] = [
      { local: [{ user: { name: '{0}' } }], remote: [{ type: 'UserName' }, { type: 'orgPersonType', any_one_of: ['Guest'] }] },
      { local: [{ group: { id: 'contractors' } }], remote: [{ type: 'orgPersonType', any_one_of: ['Contractor'] }] },
      { local: [{ group: { id: 'staff' } }], remote: [{ type: 'orgPersonType', not_any_of: ['Contractor'] }] },
      { local: [{ group: { id: 'never' } }], remote: [{ type: 'NoSuchAttribute' }] },
    ];
    const mapped = applyMapping(rules, assertion);
    assert.equal(mapped.user.name, 'bob');
    assert.deepEqual(mapped.group_ids, ['contractors']);
  });

  it('whitelist and blacklist filter the captured values; a list prints as Python prints it and groups read it back', () => {
    const domain = { name: 'Default' };
    const white = applyMapping(
      [{ local: [{ user: { name: '{0}' } }, { groups: '{1}', domain }], remote: [{ type: 'UserName' }, { type: 'ADFS_GROUPS', whitelist: ['g1', 'g3'] }] }],
      assertion,
    );
    assert.deepEqual(white.group_names, [
      { name: 'g1', domain },
      { name: 'g3', domain },
    ]);
    const black = applyMapping(
      [{ local: [{ user: { name: '{0}' } }, { groups: '{1}', domain }], remote: [{ type: 'UserName' }, { type: 'ADFS_GROUPS', blacklist: ['g1', 'g3'] }] }],
      assertion,
    );
    assert.deepEqual(black.group_names, [{ name: 'g2', domain }]);
    const regex = applyMapping(
      [
        {
          local: [{ user: { name: '{0}' } }, { group_ids: '{1}' }],
          remote: [{ type: 'UserName' }, { type: 'ADFS_GROUPS', whitelist: ['^g[12]$'], regex: true }],
        },
      ],
      assertion,
    );
    assert.deepEqual(regex.group_ids.sort(), ['g1', 'g2']);
  });

  it('refuses what Keystone refuses: nothing mapped, groups without a domain, {N} past the captures, an unknown user type', () => {
    assert.throws(
      () => applyMapping([{ local: [{ user: { name: '{0}' } }], remote: [{ type: 'Missing' }] }], assertion),
      /Could not map any federated user properties/,
    );
    assert.throws(
      () => applyMapping([{ local: [{ groups: '{0}' }], remote: [{ type: 'ADFS_GROUPS' }] }], assertion),
      /Both 'groups' and 'domain' keywords must be specified/,
    );
    assert.throws(
      () => applyMapping([{ local: [{ user: { name: '{1}' } }], remote: [{ type: 'UserName' }] }], assertion),
      /refers to a remote match that doesn't exist/,
    );
    assert.throws(
      () => applyMapping([{ local: [{ user: { name: 'x', type: 'robot' } }], remote: [{ type: 'UserName' }] }], assertion),
      /User type robot not supported/,
    );
  });

  it('validates rules against the schema of their version', () => {
    assert.equal(validateMapping({ rules: [{ local: [{ user: { name: '{0}' } }], remote: [{ type: 'UserName' }] }] }), '1.0');
    const projectWithDomain = {
      rules: [{ local: [{ projects: [{ name: 'p', roles: [{ name: 'member' }], domain: { name: 'Default' } }] }], remote: [{ type: 'UserName' }] }],
    };
    assert.throws(() => validateMapping(projectWithDomain), /additional properties|Additional properties/);
    assert.equal(validateMapping({ ...projectWithDomain, schema_version: '2.0' }), '2.0');
    assert.throws(() => validateMapping({ rules: [] }));
    assert.throws(() => validateMapping({ rules: [{ local: [], remote: [{ type: 'A', any_one_of: ['x'], whitelist: ['y'] }] }] }));
    assert.throws(() => validateMapping({ rules: [{ local: [], remote: [{ type: 'A' }] }], schema_version: '9.9' }), /not supported/);
  });
});
