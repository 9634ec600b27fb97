import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findViolations, importSpecifiers, readSources } from './import-boundaries.js';

// The compiled test runs from dist/test/architecture/: the sources are three levels up.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tree = readSources(repo);

test('the tree keeps the boundaries: services meet only at operations.ts, core knows no service', () => {
  assert.ok(tree.size > 300, `read the sources (${tree.size} files under ${repo}src)`);
  assert.deepEqual(findViolations(tree), []);
});

test('a deliberately added import of another service internals is caught, type-only too', () => {
  const file = 'src/compute/service/networking.ts';
  const original = tree.get(file);
  assert.ok(original, `${file} exists`);
  const broken = new Map(tree);
  broken.set(file, `import type { Resource } from '../../network/store/index.js';\n${original}`);
  broken.set('src/volume/service/worker.ts', `${tree.get('src/volume/service/worker.ts') ?? ''}\nconst lazy = await import('../../image/store/index.js');\n`);
  const before = new Set(findViolations(tree).map((v) => `${v.file} ${v.imported}`));
  assert.deepEqual(
    findViolations(broken)
      .map((v) => [v.file, v.imported])
      .filter(([file, imported]) => !before.has(`${file} ${imported}`)),
    [
      [file, '../../network/store/index.js'],
      ['src/volume/service/worker.ts', '../../image/store/index.js'],
    ],
  );
});

test('core importing a service, and the composition root reaching past index/config/operations, are caught', () => {
  const files = new Map([
    ['src/core/tasks/queue.ts', "import { x } from '../../compute/operations.js';"],
    ['src/cli/main.ts', "import { KeyRepository } from '../identity/tokens/index.js';\nimport { identityModule } from '../identity/index.js';"],
    ['src/compute/index.ts', "import type { NetworkOperations } from '../network/operations.js';\nimport { uuid } from '../core/ids.js';"],
  ]);
  assert.deepEqual(
    findViolations(files).map((v) => v.rule),
    ['core imports no service', "the composition root takes a service's index.ts, config.ts or operations.ts, not tokens/index.ts"],
  );
});

test('import specifiers: static, re-exports, side effects and dynamic imports', () => {
  const source = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('./e.js');`;
  assert.deepEqual(importSpecifiers(source), ['./a.js', '../b.js', './c.js', './d.js', './e.js']);
});
