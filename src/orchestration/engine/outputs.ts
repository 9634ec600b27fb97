/** A stack's outputs, evaluated when read (Heat's `output_error` where evaluating one fails). */
import { NimbusError } from '../../core/errors.js';
import type { Json } from '../json.js';
import type { OutputValue } from '../service/types.js';
import type { OutputDefinition } from '../template/types.js';
import type { StackEngine } from './engine.js';
import type { StackRuntime } from './runtime.js';

export async function evaluateOutputs(engine: StackEngine, runtime: StackRuntime): Promise<OutputValue[]> {
  const outputs: OutputValue[] = [];
  for (const def of Object.values(runtime.parsed.outputs)) outputs.push(await evaluateOutput(engine, runtime, def));
  return outputs;
}

export async function evaluateOutput(engine: StackEngine, runtime: StackRuntime, def: OutputDefinition): Promise<OutputValue> {
  const base = { key: def.name, description: def.description ?? 'No description given' };
  // An output whose condition is false has no value (null), as in Heat.
  if (!(await conditionHolds(engine, runtime, def.condition))) return { ...base, value: null };
  try {
    return { ...base, value: await runtime.resolve(def.value, engine.attributeReader) };
  } catch (error) {
    return { ...base, value: null, error: outputError(error) };
  }
}

async function conditionHolds(engine: StackEngine, runtime: StackRuntime, condition: Json | undefined): Promise<boolean> {
  if (condition === undefined || condition === null) return true;
  if (typeof condition === 'boolean') return condition;
  if (typeof condition === 'string') return runtime.conditions[condition] ?? false;
  return (await runtime.resolve(condition, engine.attributeReader)) === true;
}

function outputError(error: unknown): string {
  if (error instanceof NimbusError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
