/** The seed's shape check without a server: the shipped example passes, and YAML's own errors name their line. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkShape } from '../../src/seed/schema.js';
import { SeedSource } from '../../src/seed/source.js';

// The compiled test runs from dist/test/seed/: the repository is three levels up.
const example = fileURLToPath(new URL('../../../examples/seed.yaml', import.meta.url));

test('examples/seed.yaml is a valid seed with one of each kind', () => {
  const seed = checkShape(SeedSource.read(example));
  const kinds = Object.keys(seed).filter((kind) => (seed[kind as keyof typeof seed] ?? []).length > 0);
  assert.deepEqual(kinds.sort(), [
    'application_credentials',
    'containers',
    'domains',
    'flavors',
    'groups',
    'images',
    'keypairs',
    'networks',
    'projects',
    'routers',
    'security_groups',
    'stacks',
    'subnets',
    'users',
    'volumes',
  ]);
});

test('a YAML syntax error and a repeated key name their line and column', () => {
  assert.throws(() => SeedSource.parse('s.yaml', 'networks:\n  - name: [unclosed\n'), { message: /^s\.yaml:3:1: / });
  assert.throws(() => SeedSource.parse('s.yaml', 'flavors: []\nflavors: []\n'), { message: /^s\.yaml:2:1: Map keys must be unique/ });
});

test('a seed that is not a mapping, and a missing required key, are shape errors', () => {
  assert.throws(() => checkShape(SeedSource.parse('s.yaml', '- just\n- a list\n')), { message: 's.yaml:1:1: the seed must be object' });
  assert.throws(() => checkShape(SeedSource.parse('s.yaml', 'users:\n  - name: bob\n')), { message: "s.yaml:2:5: users[0] needs 'password'" });
});

test('entries that take exactly one of two keys are refused, with every place, when they give both or neither', () => {
  const text = [
    'users:',
    '  - name: bob',
    '    password: pw',
    '    roles: [{ role: member }]',
    'images:',
    '  - { name: both, file: a.img, generate: { size_mb: 1, format: raw } }',
    'containers:',
    '  - name: c',
    '    objects: [{ name: o }]',
    '',
  ].join('\n');
  assert.throws(() => checkShape(SeedSource.parse('s.yaml', text)), {
    message: [
      "s.yaml:4:13: users[0].roles[0] needs exactly one of 'project' and 'domain'",
      "s.yaml:6:5: images[0] needs exactly one of 'file' and 'generate'",
      "s.yaml:9:15: containers[0].objects[0] needs exactly one of 'content' and 'file'",
    ].join('\n'),
  });
});
