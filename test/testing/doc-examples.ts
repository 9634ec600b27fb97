/**
 * The code examples of docs/testing.md, as the tests run them: each is the
 * fenced block after a `<!-- example: NAME -->` marker, so a change to the
 * docs is a change to what the tests run.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The compiled tests run from dist/test/testing/: the repository is three levels up.
export const REPO = join(import.meta.dirname, '..', '..', '..');

export function docExample(name: string): string {
  const docs = readFileSync(join(REPO, 'docs', 'testing.md'), 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(docs);
  if (!match?.[1]) throw new Error(`docs/testing.md has no example named ${name}`);
  return match[1];
}

/** A new folder laid out like a project that installed this repository as `nimbus` (node_modules/nimbus → the repository). */
export function projectUsingNimbus(): string {
  const project = mkdtempSync(join(tmpdir(), 'nimbus-user-'));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'nimbus'), 'dir');
  return project;
}
