import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRuleError } from './policy-errors.js';
import type { PolicyCredentials, PolicyTarget } from './policy-values.js';
import { parseRule } from './rule-parser.js';

/** Evaluates `rule`; `rules` stands in for the enforcer's named rules. */
function evaluate(rule: string, credentials: PolicyCredentials, target: PolicyTarget = {}, rules: Record<string, string> = {}): boolean {
  const compiled = new Map(Object.entries(rules).map(([name, text]) => [name, parseRule(text).check]));
  return parseRule(rule).check({ target, credentials, resolve: (name) => compiled.get(name) });
}

const member: PolicyCredentials = { user_id: 'u1', project_id: 'p1', roles: ['member', 'reader'] };

test('"" and @ always pass, ! always fails', () => {
  assert.equal(evaluate('', { roles: [] }), true);
  assert.equal(evaluate('@', { roles: [] }), true);
  assert.equal(evaluate('!', { roles: ['admin'] }), false);
});

test('role: matches case-insensitively on both sides', () => {
  assert.equal(evaluate('role:member', member), true);
  assert.equal(evaluate('role:MEMBER', member), true);
  assert.equal(evaluate('role:Admin', { roles: ['ADMIN'] }), true);
  assert.equal(evaluate('role:admin', member), false);
  assert.equal(evaluate('role:admin', { roles: [] }), false);
});

test('role: accepts a target substitution and fails when it is missing', () => {
  assert.equal(evaluate('role:%(needed)s', member, { needed: 'Reader' }), true);
  assert.equal(evaluate('role:%(needed)s', member, { needed: 'admin' }), false);
  assert.equal(evaluate('role:%(needed)s', member, {}), false);
});

test('role: keeps everything after the first colon', () => {
  assert.equal(evaluate('role:compute:admin', { roles: ['compute:admin'] }), true);
  assert.equal(evaluate('role:compute:admin', { roles: ['compute'] }), false);
});

test('generic check compares a credential with a target value', () => {
  assert.equal(evaluate('project_id:%(project_id)s', member, { project_id: 'p1' }), true);
  assert.equal(evaluate('project_id:%(project_id)s', member, { project_id: 'p2' }), false);
});

test('generic check with a bare literal value', () => {
  assert.equal(evaluate('system_scope:all', { roles: [], system_scope: 'all' }), true);
  assert.equal(evaluate('system_scope:all', { roles: [], system_scope: null }), false);
  assert.equal(evaluate('system_scope:all', member), false);
});

test('True/False compare with booleans the way Python str() does', () => {
  const adminProject: PolicyCredentials = { roles: [], is_admin_project: true };
  assert.equal(evaluate('is_admin_project:True', adminProject), true);
  assert.equal(evaluate('is_admin_project:False', adminProject), false);
  assert.equal(evaluate('is_admin_project:False', { roles: [], is_admin_project: false }), true);
  // oslo compares "True" with "true": no match.
  assert.equal(evaluate('is_admin_project:true', adminProject), false);
});

test('a literal on the left is compared with the target value', () => {
  const rule = "'member':%(role.name)s";
  assert.equal(evaluate(rule, { roles: [] }, { 'role.name': 'member' }), true);
  assert.equal(evaluate(rule, { roles: [] }, { role: { name: 'member' } }), true);
  assert.equal(evaluate(rule, { roles: [] }, { role: { name: 'admin' } }), false);
  assert.equal(evaluate(rule, { roles: [] }, {}), false);
  assert.equal(evaluate('"member":%(name)s', { roles: [] }, { name: 'member' }), true);
  assert.equal(evaluate('True:%(user.enabled)s', { roles: [] }, { user: { enabled: true } }), true);
  assert.equal(evaluate('True:%(user.enabled)s', { roles: [] }, { user: { enabled: false } }), false);
  assert.equal(evaluate('False:%(user.enabled)s', { roles: [] }, { user: { enabled: false } }), true);
  assert.equal(evaluate('42:%(size)s', { roles: [] }, { size: 42 }), true);
  assert.equal(evaluate('42:%(size)s', { roles: [] }, { size: 43 }), false);
});

test('a quoted value on the right is a string literal', () => {
  assert.equal(evaluate("user_id:'u1'", member), true);
  assert.equal(evaluate('user_id:"u1"', member), true);
  assert.equal(evaluate("user_id:'u2'", member), false);
});

test('target lookup prefers the flat key, then walks nested objects', () => {
  const rule = 'user_id:%(target.user.id)s';
  assert.equal(evaluate(rule, member, { 'target.user.id': 'u1' }), true);
  assert.equal(evaluate(rule, member, { target: { user: { id: 'u1' } } }), true);
  assert.equal(evaluate(rule, member, { 'target.user.id': 'u1', target: { user: { id: 'other' } } }), true);
  assert.equal(evaluate(rule, member, { 'target.user.id': 'other', target: { user: { id: 'u1' } } }), false);
  assert.equal(evaluate(rule, member, { target: { user: {} } }), false);
  assert.equal(evaluate(rule, member, { target: 'flat' }), false);
});

test('missing or null target values and credentials fail without throwing', () => {
  assert.equal(evaluate('project_id:%(project_id)s', member, {}), false);
  assert.equal(evaluate('project_id:%(project_id)s', { roles: [], project_id: null }, { project_id: null }), false);
  assert.equal(evaluate('domain_id:%(domain_id)s', member, { domain_id: 'd1' }), false);
  assert.equal(evaluate('token.project.id:%(id)s', { roles: [], token: { project: null } }, { id: 'p1' }), false);
});

test('a rule cannot reach prototype properties', () => {
  assert.equal(evaluate('role:%(constructor)s', { roles: ['[object Object]'] }, {}), false);
  assert.equal(evaluate('constructor:%(x)s', { roles: [] }, { x: 'x' }), false);
});

test('dotted credential paths walk nested credentials and lists', () => {
  const creds: PolicyCredentials = { roles: ['reader'], token: { project: { domain: { id: 'd1' } } } };
  assert.equal(evaluate('token.project.domain.id:%(target.domain.id)s', creds, { 'target.domain.id': 'd1' }), true);
  assert.equal(evaluate('token.project.domain.id:%(target.domain.id)s', creds, { 'target.domain.id': 'd2' }), false);
  assert.equal(evaluate('roles:reader', creds), true);
  assert.equal(evaluate('groups.id:g2', { roles: [], groups: [{ id: 'g1' }, { id: 'g2' }] }), true);
  assert.equal(evaluate('groups.id:g3', { roles: [], groups: [{ id: 'g1' }, { id: 'g2' }] }), false);
});

test('numbers compare as their decimal text', () => {
  assert.equal(evaluate('is_admin:1', { roles: [], is_admin: 1 }), true);
  assert.equal(evaluate('is_admin:1', { roles: [], is_admin: true }), false);
  assert.equal(evaluate('quota:%(limit)s', { roles: [], quota: 10 }, { limit: '10' }), true);
});

test('substitutions can sit inside literal text, and %% is a literal %', () => {
  assert.equal(evaluate('name:%(prefix)s-%(id)s', { roles: [], name: 'vm-7' }, { prefix: 'vm', id: 7 }), true);
  assert.equal(evaluate('name:%(prefix)s-%(id)s', { roles: [], name: 'vm-7' }, { prefix: 'vm' }), false);
  assert.equal(evaluate('name:100%%', { roles: [], name: '100%' }), true);
});

test('and, or, not and parentheses', () => {
  assert.equal(evaluate('role:member and project_id:%(p)s', member, { p: 'p1' }), true);
  assert.equal(evaluate('role:member and project_id:%(p)s', member, { p: 'p2' }), false);
  assert.equal(evaluate('role:admin or project_id:%(p)s', member, { p: 'p1' }), true);
  assert.equal(evaluate('role:admin or project_id:%(p)s', member, { p: 'p2' }), false);
  assert.equal(evaluate('not role:admin', member), true);
  assert.equal(evaluate('not role:member', member), false);
  assert.equal(evaluate('not not role:member', member), true);
  assert.equal(evaluate('(role:admin or role:member) and user_id:u1', member), true);
  assert.equal(evaluate('((role:admin) or (role:member and (user_id:u2)))', member), false);
});

test('keywords are case-insensitive, as in oslo', () => {
  assert.equal(evaluate('role:admin OR role:member', member), true);
  assert.equal(evaluate('NOT role:member', member), false);
  assert.equal(evaluate('role:member And role:reader', member), true);
});

test('precedence: not > and > or', () => {
  // "a or b and c" is "a or (b and c)": with a true and c false it passes.
  assert.equal(evaluate('role:member or role:admin and !', member), true);
  // "(a or b) and c" would fail; check the grouping really changes it.
  assert.equal(evaluate('(role:member or role:admin) and !', member), false);
  // "a and b or c" is "(a and b) or c".
  assert.equal(evaluate('! and role:member or role:reader', member), true);
  // "not a and b" is "(not a) and b".
  assert.equal(evaluate('not role:admin and role:member', member), true);
  assert.equal(evaluate('not role:member and !', member), false);
  assert.equal(evaluate('not (role:member and !)', member), true);
  // "not a or b" is "(not a) or b".
  assert.equal(evaluate('not role:member or role:reader', member), true);
  // Chains of or with and in the middle.
  assert.equal(evaluate('! or role:member and role:reader or !', member), true);
  assert.equal(evaluate('! or role:member and ! or !', member), false);
});

test('whitespace, including newlines, separates tokens', () => {
  assert.equal(evaluate('  role:admin\n  or\trole:member  ', member), true);
  assert.equal(evaluate('(role:admin)or(role:member)', member), false, 'oslo reads this as one odd check');
});

test('rule: resolves through the given resolver and fails closed when undefined', () => {
  const rules = { admin_required: 'role:admin', owner: 'user_id:%(user_id)s' };
  assert.equal(evaluate('rule:admin_required or rule:owner', member, { user_id: 'u1' }, rules), true);
  assert.equal(evaluate('rule:admin_required or rule:owner', member, { user_id: 'u9' }, rules), false);
  assert.equal(evaluate('rule:nonexistent or role:member', member, {}, rules), true);
  assert.equal(evaluate('rule:nonexistent', member, {}, rules), false);
  assert.deepEqual([...parseRule('rule:a or (rule:b and not rule:a)').references].sort(), ['a', 'b']);
});

test('a realistic Keystone rule for several personas', () => {
  const rule = '(role:reader and system_scope:all) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s';
  const flat = { 'target.user.domain_id': 'd1', 'target.user.id': 'alice' };
  const nested = { target: { user: { domain_id: 'd1', id: 'alice' } } };
  const personas: Array<[string, PolicyCredentials, boolean]> = [
    ['system reader', { user_id: 'ops', system_scope: 'all', roles: ['reader'] }, true],
    ['system member without reader', { user_id: 'ops', system_scope: 'all', roles: ['member'] }, false],
    ['domain reader of the same domain', { user_id: 'dr', domain_id: 'd1', roles: ['reader'] }, true],
    ['domain reader of another domain', { user_id: 'dr', domain_id: 'd2', roles: ['reader'] }, false],
    ['domain member of the same domain without reader', { user_id: 'dm', domain_id: 'd1', roles: ['member'] }, false],
    ['the user herself, project-scoped', { user_id: 'alice', project_id: 'p1', roles: ['member'] }, true],
    ['another project admin', { user_id: 'bob', project_id: 'p1', domain_id: null, roles: ['admin', 'reader'] }, false],
    ['no roles at all', { user_id: 'eve', roles: [] }, false],
  ];
  for (const [who, credentials, expected] of personas) {
    assert.equal(evaluate(rule, credentials, flat), expected, `${who} (flat target)`);
    assert.equal(evaluate(rule, credentials, nested), expected, `${who} (nested target)`);
  }
});

test('malformed rules throw InvalidRuleError naming the rule', () => {
  const cases: Array<[string, RegExp]> = [
    ['(role:admin', /unbalanced "\("/],
    ['role:admin)', /unbalanced "\)"/],
    ['(role:admin or role:member))', /unbalanced "\)"/],
    ['()', /unexpected "\)"/],
    ['role:admin or', /ends where a check was expected/],
    ['and role:admin', /unexpected "and"/],
    ['role:admin role:member', /unexpected "role:member"/],
    ['role:admin and or role:member', /unexpected "or"/],
    ['not', /ends where a check was expected/],
    ['admin', /"admin" is not a check/],
    ["'member'", /is not a check/],
    [':value', /nothing before ":"/],
    ['rule:', /needs a rule name/],
    ['   ', /only whitespace/],
    ['http://policy.example.com/check', /"http:" checks .* not supported/],
    ['role:admin or https://x', /"https:" checks .* not supported/],
    ['project_id:%(project_id)d', /not a %\(name\)s substitution/],
    ['name:100%', /not a %\(name\)s substitution/],
    ['name:%()s', /not a %\(name\)s substitution/],
    ['name:%(unclosed', /not a %\(name\)s substitution/],
  ];
  for (const [rule, reason] of cases) {
    assert.throws(
      () => parseRule(rule),
      (error: unknown) => {
        assert.ok(error instanceof InvalidRuleError, `${rule} threw ${String(error)}`);
        assert.equal(error.rule, rule);
        assert.ok(error.message.startsWith(`Invalid policy rule "${rule}": `), error.message);
        assert.match(error.message, reason);
        return true;
      },
      rule,
    );
  }
});
