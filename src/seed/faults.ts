/**
 * The seed's `faults:`: rules for `/_nimbus/faults`, each checked as the REST
 * API checks its body. They live in the server's memory, so every start adds
 * them again; they make no resource and count as none.
 */
import type { SeedRun } from './run.js';

export function applyFaults(run: SeedRun): void {
  const rules = run.seed.faults ?? [];
  if (rules.length === 0) return;
  const faults = run.target.faults;
  if (!faults) throw run.source.error(['faults'], 'fault rules: this server runs no /_nimbus/faults');
  for (const [i, rule] of rules.entries()) {
    try {
      faults.add(rule);
    } catch (error) {
      throw run.source.error(['faults', i], `fault rule: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
