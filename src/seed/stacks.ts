/**
 * The seed's Heat stacks (template inline or from a file), made by their
 * project (or user) and waited for: the seed is applied only once each
 * stack is CREATE_COMPLETE, and a failed stack fails the seed with Heat's
 * reason.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import type { CallerContext } from '../core/context.js';
import type { JsonObject } from '../core/json.js';
import type { OrchestrationOperations } from '../orchestration/operations.js';
import type { SeedStack } from './model.js';
import type { SeedRun } from './run.js';
import type { SeedPath } from './source.js';

const STACK_WAIT_MS = 120_000;
const STACK_POLL_MS = 100;

export async function applyStacks(run: SeedRun): Promise<void> {
  for (const [i, stack] of (run.seed.stacks ?? []).entries()) {
    const at = ['stacks', i];
    const { stacks } = run.door('orchestration', at);
    const caller = await run.callerFor(at, stack);
    const template = templateOf(run, at, stack);
    const made = await run.ensure(
      at,
      'stack',
      stack.name,
      () => stacks.find(caller, stack.name),
      () =>
        stacks.create(caller, {
          name: stack.name,
          template,
          ...(stack.parameters !== undefined && { parameters: stack.parameters }),
          ...(stack.environment !== undefined && { environment: stack.environment }),
          ...(stack.timeout_mins !== undefined && { timeoutMins: stack.timeout_mins }),
        }),
    );
    await waitForStack(run, at, stacks, caller, made.id, stack.name);
  }
}

function templateOf(run: SeedRun, at: SeedPath, stack: SeedStack): JsonObject {
  if (stack.template !== undefined) return stack.template;
  const file = stack.template_file;
  const text = run.readFile([...at, 'template_file'], file).toString('utf8');
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw run.source.error([...at, 'template_file'], `template '${file}' is not YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw run.source.error([...at, 'template_file'], `template '${file}' is not a mapping`);
  return parsed as JsonObject;
}

async function waitForStack(
  run: SeedRun,
  at: SeedPath,
  stacks: OrchestrationOperations['stacks'],
  caller: CallerContext,
  id: string,
  name: string,
): Promise<void> {
  const deadline = Date.now() + STACK_WAIT_MS;
  for (;;) {
    const current = await run.step(at, `stack '${name}'`, () => stacks.find(caller, id));
    if (current.status === 'FAILED') throw run.source.error(at, `stack '${name}' is ${current.action}_FAILED: ${current.statusReason}`);
    if (current.status !== 'IN_PROGRESS') return;
    if (Date.now() > deadline) throw run.source.error(at, `stack '${name}' is still ${current.action}_IN_PROGRESS after ${STACK_WAIT_MS / 1000} s`);
    await sleep(STACK_POLL_MS);
  }
}
