/** Helpers shared by the template room's unit tests: a scope over fixed values and an error matcher. */
import assert from 'node:assert/strict';
import type { Json } from '../../src/orchestration/json.js';
import { parseTemplate, resolveSnippet, type ResolveScope } from '../../src/orchestration/template/index.js';

export const LATEST = '2021-04-16';

export function fixedScope(overrides: Partial<ResolveScope> = {}): ResolveScope {
  return {
    parameters: {},
    conditions: {},
    files: {},
    getResource: (name) => (['server', 'net', 'one'].includes(name) ? `${name}-id` : null),
    getAttr: async (name, attribute, path) => ({ name, attribute, path }) as unknown as Json,
    getAllAttrs: async (name) => ({ all: name }),
    ...overrides,
  };
}

/** Asserts a Heat error: its exception type, status 400 unless told, and its exact message (or a pattern). */
export async function assertHeatError(run: () => unknown, type: string, message: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(
    async () => {
      await run();
    },
    (error: unknown) => {
      assert.ok(error instanceof Error, 'an Error');
      const heat = error as Error & { type?: string; status?: number };
      assert.equal(heat.type, type, heat.message);
      assert.equal(heat.status, status);
      if (typeof message === 'string') assert.equal(heat.message, message);
      else assert.match(heat.message, message);
      return true;
    },
  );
}

/** Evaluates one snippet in an empty template of `version`. */
export function evaluate(version: string, snippet: Json, scope: Partial<ResolveScope> = {}): Promise<Json> {
  return resolveSnippet(parseTemplate({ heat_template_version: version }), snippet, fixedScope(scope));
}
