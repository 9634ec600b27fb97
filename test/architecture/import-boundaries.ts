/**
 * The rule between the services' rooms (docs/architecture.md): a service
 * reaches another only through that service's `operations.ts`; core knows no
 * service; the composition root (src/server.ts, src/config.ts, src/cli/, src/testing/)
 * assembles services from their `index.ts`, `config.ts` and `operations.ts`.
 * Type-only imports count too: a type from another service's store is a
 * dependency on its tables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export interface Violation {
  file: string;
  imported: string;
  rule: string;
}

/** Folders of src/ that are not services. */
const NOT_SERVICES = new Set(['core', 'cli']);
const COMPOSITION_ROOT = (file: string) =>
  file === 'src/server.ts' || file === 'src/config.ts' || file.startsWith('src/cli/') || file.startsWith('src/testing/');
const ROOT_MAY_IMPORT = new Set(['index.ts', 'config.ts', 'operations.ts']);

/** Every `from '...'`, `import '...'` and `import('...')` specifier in a module's text. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** The room of a path under src/: `core`, `cli`, a service name, or null for src/*.ts files. */
function roomOf(path: string): string | null {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? (parts[1] as string) : null;
}

/** Checks files given as src-relative paths (`src/compute/api/x.ts`) with their text. */
export function findViolations(files: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    const from = roomOf(file);
    for (const specifier of importSpecifiers(source)) {
      if (!specifier.startsWith('.')) continue;
      const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
      const to = roomOf(target);
      if (to === null || to === from) continue;
      const inTarget = target.split('/').slice(2).join('/');
      if (from === 'core' && !NOT_SERVICES.has(to)) {
        violations.push({ file, imported: specifier, rule: 'core imports no service' });
      } else if (COMPOSITION_ROOT(file)) {
        if (!NOT_SERVICES.has(to) && !ROOT_MAY_IMPORT.has(inTarget)) {
          violations.push({ file, imported: specifier, rule: `the composition root takes a service's index.ts, config.ts or operations.ts, not ${inTarget}` });
        }
      } else if (from !== null && !NOT_SERVICES.has(to) && inTarget !== 'operations.ts') {
        violations.push({ file, imported: specifier, rule: `${from} may use ${to} only through ${to}/operations.ts` });
      }
    }
  }
  return violations;
}

/** The TypeScript sources under `<repo>/src`, keyed by repo-relative path. */
export function readSources(repo: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(repo, path), readFileSync(path, 'utf8'));
    }
  };
  walk(join(repo, 'src'));
  return files;
}
