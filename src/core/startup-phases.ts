/** Milliseconds spent in each named phase of a start-up, in order: each mark closes the phase since the previous one. */
export class StartupPhases {
  readonly ms: Record<string, number> = {};
  #last = performance.now();

  mark(phase: string): void {
    const now = performance.now();
    this.ms[phase] = Math.round(now - this.#last);
    this.#last = now;
  }
}
